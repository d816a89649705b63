Profile: VmSearchsetBundle
Parent: Bundle
Id: vm-searchset-bundle
Title: "Chargeable Status Search Response"
Description: "The body of a successful (HTTP 200) chargeable-status search: a searchset Bundle with exactly one entry. The entry is either the patient's chargeable-status Observation (total 1, search mode match, with fullUrl and meta.versionId) or, when Spine holds no status for the patient, an OperationOutcome carrying the NO_RECORD_FOUND warning (total 0, search mode outcome). Invariants vm-bundle-1 to vm-bundle-4 say so."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* obeys vm-bundle-1 and vm-bundle-2 and vm-bundle-3 and vm-bundle-4
* type = #searchset (exactly)
* type ^short = "Always searchset"
* type ^definition = "Always searchset: the response to an Observation search."
* total ^short = "1 when a status is returned, 0 for NO_RECORD_FOUND"
* total ^definition = "How many chargeable-status Observations matched: 1 or 0 (invariant vm-bundle-3). Spine sends it, but a client SHALL read the entry rather than rely on total."
* entry 1..1
* entry ^short = "Exactly one entry: the status or the NO_RECORD_FOUND outcome"
* entry ^definition = "Exactly one entry. A patient has at most one chargeable status on Spine, and when there is none the entry is the NO_RECORD_FOUND OperationOutcome, so a client never has to choose between entries."
* entry.fullUrl 1..1
* entry.fullUrl ^short = "Absolute URL of the resource on Spine"
* entry.fullUrl ^definition = "The absolute URL of the entry's resource, so it can be referred to unambiguously."
* entry.resource 1..1
* entry.resource only VmChargeableStatusObservation or VmSpineOperationOutcome
* entry.resource ^short = "The chargeable-status Observation or the NO_RECORD_FOUND OperationOutcome"
* entry.resource ^definition = "The chargeable-status Observation (with meta.versionId, invariant vm-bundle-1), or an OperationOutcome carrying NO_RECORD_FOUND (invariant vm-bundle-2)."
* entry.search.mode 1..1
* entry.search.mode ^short = "match for the Observation, outcome for the OperationOutcome"
* entry.search.mode ^definition = "match for the Observation, outcome for the OperationOutcome (invariant vm-bundle-4)."
* entry.request 0..0
* entry.request ^short = "Not sent: only used in transactions and history"
* entry.request ^definition = "Not sent. Request details belong to batch, transaction and history Bundles."
* entry.response 0..0
* entry.response ^short = "Not sent: only used in transactions and history"
* entry.response ^definition = "Not sent. Response details belong to batch, transaction and history Bundles."
* signature 0..0
* signature ^short = "Not sent: the TLS connection protects the response"
* signature ^definition = "Not sent. The response is protected by the mutually authenticated TLS connection to Spine."
// Must support: what every client SHALL read to tell a status from NO_RECORD_FOUND.
* type MS
* entry MS
* entry.fullUrl MS
* entry.resource MS
* entry.search MS
* entry.search.mode MS
