// Spine error and warning codes returned by the Visitors and Migrants API.
// Each concept carries the HTTP status, the FHIR IssueType and the IssueSeverity that go with it;
// the error table on the "Using the API" page is generated from these properties.

RuleSet: SpineErrorProperties(code, http, type, severity)
* #{code} ^property[0].code = #httpStatus
* #{code} ^property[0].valueInteger = {http}
* #{code} ^property[1].code = #issueType
* #{code} ^property[1].valueCode = #{type}
* #{code} ^property[2].code = #issueSeverity
* #{code} ^property[2].valueCode = #{severity}

CodeSystem: VmSpineErrorCodeCS
Id: vm-spine-error-code
Title: "Spine Error Code"
Description: "Error and warning codes that NHS Spine returns in OperationOutcome.issue.details for the Visitors and Migrants API, with the HTTP status, FHIR issue type and issue severity of each."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* ^caseSensitive = true
* ^property[0].code = #httpStatus
* ^property[0].type = #integer
* ^property[0].description = "The HTTP status code of the response that carries this error or warning."
* ^property[1].code = #issueType
* ^property[1].type = #code
* ^property[1].description = "The FHIR IssueType code (http://hl7.org/fhir/issue-type) sent in OperationOutcome.issue.code with this error or warning."
* ^property[2].code = #issueSeverity
* ^property[2].type = #code
* ^property[2].description = "The FHIR IssueSeverity code (http://hl7.org/fhir/issue-severity) sent in OperationOutcome.issue.severity: error for a failed request, or warning for the one warning (NO_RECORD_FOUND) that comes with a successful response."
* #PATIENT_NOT_FOUND "Patient not found" "Spine has no patient record for the NHS Number in the request. Check the number against the Personal Demographics Service before trying again."
* #INVALID_NHS_NUMBER "Invalid NHS Number" "The NHS Number in the request is not ten digits long, or its check digit fails the modulus 11 test."
* #INVALID_CODE_SYSTEM "Invalid code system" "The code system in the code search parameter is not the Visitors and Migrants observation code system."
* #INVALID_CODE_VALUE "Invalid code value" "The code in the code search parameter is not 0001, the chargeable-status observation code."
* #INVALID_IDENTIFIER_SYSTEM "Invalid identifier system" "The patient identifier in the request does not use the NHS Number system https://fhir.nhs.uk/Id/nhs-number."
* #INVALID_ELEMENT "Invalid element" "An element or parameter of the request carries a value Spine cannot accept, for example an empty value."
* #INVALID_PARAMETER "Invalid parameter" "The request has a search parameter that the API does not support, or leaves out one it needs."
* #REQUEST_UNMATCHED "Request unmatched" "The NHS Number in the search differs from the NHS Number of the requested_record claim in the JWT. Both must name the same patient."
* #MESSAGE_NOT_WELL_FORMED "Message not well formed" "Spine could not parse the request itself: the URL or its query string is malformed (a bad percent-encoding, say), or the request is not well-formed HTTP. A token that cannot be decoded is an invalid Authorization header: MISSING_OR_INVALID_HEADER."
* #MISSING_OR_INVALID_HEADER "Missing or invalid header" "A required HTTP header (Ssp-TraceID, Ssp-From, Ssp-To, Ssp-InteractionID or Authorization) is missing, or its value is not valid; a request missing several names them all. This includes the JWT bearer token in Authorization: one that cannot be decoded, is signed, has expired, or whose claims are missing or wrong."
* #ACCESS_DENIED_SSL "Access denied (TLS)" "The TLS connection was refused: the client certificate is missing, expired or not trusted by Spine."
* #ASID_CHECK_FAILED "ASID check failed" "The sending system's ASID (Ssp-From) is not authorised for this interaction, or does not match its certificate."
* #NO_RECORD_FOUND "No record found" "The patient exists on Spine but no chargeable status is held for them: neither the Home Office nor an Overseas Visitors Manager has supplied one. This is not an error. Spine answers HTTP 200 with a searchset Bundle whose only entry is an OperationOutcome carrying this code with severity information and issue type informational. A client SHALL NOT read it as meaning the patient is not chargeable."
* insert SpineErrorProperties(PATIENT_NOT_FOUND, 404, not-found, error)
* insert SpineErrorProperties(INVALID_NHS_NUMBER, 400, invalid, error)
* insert SpineErrorProperties(INVALID_CODE_SYSTEM, 400, code-invalid, error)
* insert SpineErrorProperties(INVALID_CODE_VALUE, 400, code-invalid, error)
* insert SpineErrorProperties(INVALID_IDENTIFIER_SYSTEM, 400, code-invalid, error)
* insert SpineErrorProperties(INVALID_ELEMENT, 400, value, error)
* insert SpineErrorProperties(INVALID_PARAMETER, 400, invalid, error)
* insert SpineErrorProperties(REQUEST_UNMATCHED, 400, unknown, error)
* insert SpineErrorProperties(MESSAGE_NOT_WELL_FORMED, 400, structure, error)
* insert SpineErrorProperties(MISSING_OR_INVALID_HEADER, 400, invalid, error)
* insert SpineErrorProperties(ACCESS_DENIED_SSL, 403, forbidden, error)
* insert SpineErrorProperties(ASID_CHECK_FAILED, 403, forbidden, error)
* insert SpineErrorProperties(NO_RECORD_FOUND, 200, informational, warning)

ValueSet: VmSpineErrorCodeVS
Id: vm-spine-error-code
Title: "Spine Error Code"
Description: "All Spine error and warning codes of the Visitors and Migrants API, including the NO_RECORD_FOUND warning."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* include codes from system VmSpineErrorCodeCS
