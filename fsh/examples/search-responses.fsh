// The two shapes of a successful (HTTP 200) search response.
// The base URL https://spine.example/vm/fhir is illustrative only (.example is a reserved domain).

Instance: vm-search-response-found
InstanceOf: VmSearchsetBundle
Usage: #example
Title: "Search response: status found"
Description: "The HTTP 200 response to a search for the patient with NHS Number 9990554331: one entry, the chargeable-status Observation vm-status-category-f, with its fullUrl and meta.versionId."
* meta.lastUpdated = "2025-11-20T09:12:31+00:00"
* type = #searchset
* total = 1
* link[0].relation = "self"
* link[0].url = "https://spine.example/vm/fhir/Observation?subject%3APatient.identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9990554331&code=https%3A%2F%2Ffhir.nhs.uk%2Fvm%2FCodeSystem%2Fvm-observation-code%7C0001"
* entry[0].fullUrl = "https://spine.example/vm/fhir/Observation/vm-status-category-f"
* entry[0].resource = vm-status-category-f
* entry[0].search.mode = #match

Instance: vm-search-response-no-record
InstanceOf: VmSearchsetBundle
Usage: #example
Title: "Search response: no record found"
Description: "The HTTP 200 response to a search for a patient who exists on Spine but has no chargeable status (NHS Number 9990871094): total 0 and one entry, the NO_RECORD_FOUND OperationOutcome, with search mode outcome."
* meta.lastUpdated = "2025-11-20T09:14:02+00:00"
* type = #searchset
* total = 0
* link[0].relation = "self"
* link[0].url = "https://spine.example/vm/fhir/Observation?subject%3APatient.identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9990871094&code=https%3A%2F%2Ffhir.nhs.uk%2Fvm%2FCodeSystem%2Fvm-observation-code%7C0001"
* entry[0].fullUrl = "https://spine.example/vm/fhir/OperationOutcome/vm-warning-no-record-found"
* entry[0].resource = vm-warning-no-record-found
* entry[0].search.mode = #outcome
