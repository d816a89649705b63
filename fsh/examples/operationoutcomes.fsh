// One Spine OperationOutcome per error or warning code of the Spine Error Code system.

RuleSet: SpineIssue(severity, type, code, display, diagnostics)
* issue[0].severity = #{severity}
* issue[0].code = #{type}
* issue[0].details.coding[0].system = "https://fhir.nhs.uk/vm/CodeSystem/vm-spine-error-code"
* issue[0].details.coding[0].code = #{code}
* issue[0].details.coding[0].display = "{display}"
* issue[0].diagnostics = "{diagnostics}"
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{code} ({severity}, issue type {type}): {diagnostics}</p></div>"

Instance: vm-error-patient-not-found
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: PATIENT_NOT_FOUND (HTTP 404)"
Description: "Returned with HTTP 404 when Spine has no patient with the NHS Number searched for."
* insert SpineIssue(error, not-found, PATIENT_NOT_FOUND, Patient not found, [[No patient record was found for the NHS Number in the request.]])

Instance: vm-error-invalid-nhs-number
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: INVALID_NHS_NUMBER (HTTP 400)"
Description: "Returned with HTTP 400 when the NHS Number in the search is not ten digits or fails the modulus 11 check."
* insert SpineIssue(error, invalid, INVALID_NHS_NUMBER, Invalid NHS Number, [[The NHS Number in subject:Patient.identifier fails the modulus 11 check.]])

Instance: vm-error-invalid-code-system
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: INVALID_CODE_SYSTEM (HTTP 400)"
Description: "Returned with HTTP 400 when the code parameter names a code system other than the Visitors and Migrants observation code system."
* insert SpineIssue(error, code-invalid, INVALID_CODE_SYSTEM, Invalid code system, [[The code parameter must use the system https://fhir.nhs.uk/vm/CodeSystem/vm-observation-code.]])

Instance: vm-error-invalid-code-value
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: INVALID_CODE_VALUE (HTTP 400)"
Description: "Returned with HTTP 400 when the code parameter holds a code other than 0001."
* insert SpineIssue(error, code-invalid, INVALID_CODE_VALUE, Invalid code value, [[The code parameter must be 0001.]])

Instance: vm-error-invalid-identifier-system
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: INVALID_IDENTIFIER_SYSTEM (HTTP 400)"
Description: "Returned with HTTP 400 when the patient identifier is not in the NHS Number system."
* insert SpineIssue(error, code-invalid, INVALID_IDENTIFIER_SYSTEM, Invalid identifier system, [[The patient identifier must use the system https://fhir.nhs.uk/Id/nhs-number.]])

Instance: vm-error-invalid-element
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: INVALID_ELEMENT (HTTP 400)"
Description: "Returned with HTTP 400 when an element or parameter of the request has a value Spine cannot accept."
* insert SpineIssue(error, value, INVALID_ELEMENT, Invalid element, [[The subject:Patient.identifier parameter has no NHS Number after the | separator.]])

Instance: vm-error-invalid-parameter
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: INVALID_PARAMETER (HTTP 400)"
Description: "Returned with HTTP 400 when the search has a parameter the API does not support, or leaves out one it needs."
* insert SpineIssue(error, invalid, INVALID_PARAMETER, Invalid parameter, [[The search parameter 'date' is not supported.]])

Instance: vm-error-request-unmatched
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: REQUEST_UNMATCHED (HTTP 400)"
Description: "Returned with HTTP 400 when the NHS Number in the search is not the NHS Number in the JWT's requested_record claim."
* insert SpineIssue(error, unknown, REQUEST_UNMATCHED, Request unmatched, [[The NHS Number in the search does not match the requested_record claim of the JWT.]])

Instance: vm-error-message-not-well-formed
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: MESSAGE_NOT_WELL_FORMED (HTTP 400)"
Description: "Returned with HTTP 400 when Spine cannot parse the request itself: its URL or query string is malformed, or it is not well-formed HTTP. A bad token is MISSING_OR_INVALID_HEADER, not this."
* insert SpineIssue(error, structure, MESSAGE_NOT_WELL_FORMED, Message not well formed, [[The query string has a malformed percent-encoding.]])

Instance: vm-error-missing-or-invalid-header
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: MISSING_OR_INVALID_HEADER (HTTP 400)"
Description: "Returned with HTTP 400 when a required header is missing or has a value that is not valid, the JWT bearer token in Authorization included."
* insert SpineIssue(error, invalid, MISSING_OR_INVALID_HEADER, Missing or invalid header, [[The Ssp-TraceID header is missing.]])

Instance: vm-error-access-denied-ssl
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: ACCESS_DENIED_SSL (HTTP 403)"
Description: "Returned with HTTP 403 when the TLS client certificate is missing, expired or not trusted."
* insert SpineIssue(error, forbidden, ACCESS_DENIED_SSL, Access denied (TLS\), [[The client certificate was not accepted.]])

Instance: vm-error-asid-check-failed
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Error: ASID_CHECK_FAILED (HTTP 403)"
Description: "Returned with HTTP 403 when the sending system's ASID is not authorised for the interaction or does not match its certificate."
* insert SpineIssue(error, forbidden, ASID_CHECK_FAILED, ASID check failed, [[The ASID in Ssp-From is not authorised for urn:nhs:names:services:visitorsandmigrants:fhir:rest:search:observation.]])

Instance: vm-warning-no-record-found
InstanceOf: VmSpineOperationOutcome
Usage: #example
Title: "Warning: NO_RECORD_FOUND (inside an HTTP 200 searchset)"
Description: "The only entry of the searchset Bundle when the patient exists on Spine but has no chargeable status. It is a warning, not an error: the search succeeded and found nothing. It does not mean that the patient is not chargeable."
* insert SpineIssue(warning, informational, NO_RECORD_FOUND, No record found, [[No chargeable status is held for this patient.]])
