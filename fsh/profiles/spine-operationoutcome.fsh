Profile: VmSpineOperationOutcome
Parent: OperationOutcome
Id: vm-spine-operationoutcome
Title: "Spine OperationOutcome"
Description: "The OperationOutcome NHS Spine returns for the Visitors and Migrants API: alone, as the body of an HTTP 4xx response, when a request fails; or as the only entry of a searchset Bundle, with the NO_RECORD_FOUND warning, when the patient has no chargeable status. It carries exactly one issue, and that issue names a Spine error code, so that clients can act on the code rather than parse text."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* issue 1..1
* issue ^short = "The single error or warning"
* issue ^definition = "Spine reports one issue per response: the first problem it found with the request, or the NO_RECORD_FOUND warning."
* issue.severity ^short = "error, or warning for NO_RECORD_FOUND"
* issue.severity ^definition = "error for every failure; warning for NO_RECORD_FOUND that comes with an HTTP 200 response. The severity of each code is the issueSeverity property of the Spine Error Code system."
* issue.code ^short = "FHIR issue type paired with the Spine error code"
* issue.code ^definition = "The FHIR issue type that goes with the Spine error code, as given by the issueType property of the Spine Error Code system (for example not-found with PATIENT_NOT_FOUND)."
* issue.details 1..1
* issue.details ^short = "The Spine error code"
* issue.details ^definition = "The Spine error code. Clients SHALL act on this code, not on the wording of diagnostics."
* issue.details.coding 1..1
* issue.details.coding.system 1..1
* issue.details.coding.system = "https://fhir.nhs.uk/vm/CodeSystem/vm-spine-error-code" (exactly)
* issue.details.coding.code 1..1
* insert Why(issue.details.coding.system, [[Always the Spine Error Code system]], [[Fixed, so that the code is always read against the Spine Error Code system.]])
* insert Why(issue.details.coding.code, [[The Spine error or warning code]], [[Required: the code clients act on.]])
* issue.details.coding from VmSpineErrorCodeVS (required)
* issue.details.coding ^short = "A code from the Spine Error Code system"
* issue.details.coding ^definition = "One code from the Spine Error Code system, which also gives the HTTP status, issue type and severity that go with it."
* issue.diagnostics ^short = "Extra detail for developers, never patient data"
* issue.diagnostics ^definition = "Optional text to help a developer find the fault. It SHALL NOT repeat patient details or anything about the patient's immigration status."
* issue.location 0..0
* issue.location ^short = "Not sent: deprecated in FHIR R4; use expression"
* issue.location ^definition = "Not sent. FHIR R4 deprecates location in favour of expression."
// Must support: the clients act on the code, never on the wording.
* issue MS
* issue.severity MS
* issue.code MS
* issue.details MS
* issue.details.coding MS
* issue.details.coding.system MS
* issue.details.coding.code MS
