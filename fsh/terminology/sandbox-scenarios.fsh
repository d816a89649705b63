// The sandbox's test scenarios, defined once: `vm-ig sandbox` answers from this table, prints it
// at start, and the "Sandbox test scenarios" table on the Using the API page is generated from it.
// Each concept is keyed on the value that selects it: an NHS Number (every one from the 999 test
// range; all but the invalid-number scenario have a valid modulus 11 check digit) or a client
// ASID sent in Ssp-From. The response property names the guide's own example that is returned.

RuleSet: SandboxScenario(key, keyType, response, http)
* #{key} ^property[0].code = #keyType
* #{key} ^property[0].valueCode = #{keyType}
* #{key} ^property[1].code = #response
* #{key} ^property[1].valueString = "{response}"
* #{key} ^property[2].code = #httpStatus
* #{key} ^property[2].valueInteger = {http}

CodeSystem: VmSandboxScenarioCS
Id: vm-sandbox-scenario
Title: "Sandbox Test Scenario"
Description: "The test scenarios of the Visitors and Migrants sandbox (`vm-ig sandbox`). Each code is the synthetic NHS Number, or the client ASID, that selects the scenario; the response property names the example in this guide that the sandbox returns, and httpStatus the HTTP status it is returned with. For use against the sandbox only: these numbers are never issued to real people."
* insert Maturity(1)
* ^status = #draft
* ^experimental = true
* ^caseSensitive = true
* ^property[0].code = #keyType
* ^property[0].type = #code
* ^property[0].description = "What the code is matched against: nhs-number (the NHS Number searched for) or asid (the client ASID in the Ssp-From header)."
* ^property[1].code = #response
* ^property[1].type = #string
* ^property[1].description = "The example returned, as ResourceType/id: an Observation is returned inside a searchset Bundle; an OperationOutcome as the body of an error response, or inside the Bundle for NO_RECORD_FOUND."
* ^property[2].code = #httpStatus
* ^property[2].type = #integer
* ^property[2].description = "The HTTP status of the response."
* #9990079196 "Category A (OVM assessment)" "Basic status N, category A (Standard NHS), recorded by an Overseas Visitors Manager."
* #9990237573 "Category B (Home Office feed)" "Basic status N, category B (surcharge payee), from the Home Office feed."
* #9990316767 "Category C (OVM assessment)" "Basic status N, category C (charge exempt: EHIC, PRC or S2), recorded by an Overseas Visitors Manager."
* #9990395950 "Category D (OVM assessment)" "Basic status Y, category D (chargeable EEA), recorded by an Overseas Visitors Manager."
* #9990475148 "Category E (OVM assessment)" "Basic status N, category E (charge exempt, non-EEA), recorded by an Overseas Visitors Manager."
* #9990554331 "Category F (OVM assessment)" "Basic status Y, category F (chargeable non-EEA), recorded by an Overseas Visitors Manager. The patient of the guide's example token."
* #9990633525 "Decision pending (OVM assessment)" "Basic status U, category DECISION_PENDING: an assessment has started."
* #9990712719 "Category NONE (Home Office feed)" "Basic status U, category NONE: an earlier status was cancelled by the Home Office feed."
* #9990791902 "Basic status only (Home Office feed)" "Basic status Y and no category: identified by the Home Office feed, not yet assessed."
* #9990871094 "No record found" "The patient exists but no status is held: HTTP 200, a searchset Bundle whose only entry is the NO_RECORD_FOUND OperationOutcome."
* #9991023453 "Patient not found" "No patient has this NHS Number: HTTP 404 with PATIENT_NOT_FOUND."
* #9990554332 "Invalid NHS Number" "The check digit is wrong (the valid number is 9990554331): HTTP 400 with INVALID_NHS_NUMBER. Any NHS Number that fails the check gives the same answer."
* #200000000403 "ASID not authorised" "Requests whose Ssp-From is this ASID are refused with HTTP 403 and ASID_CHECK_FAILED, whatever they ask for."
* #200000000495 "Client certificate refused" "Requests whose Ssp-From is this ASID are treated as coming over a refused TLS connection: HTTP 403 with ACCESS_DENIED_SSL. The sandbox has no TLS of its own."
* insert SandboxScenario(9990079196, nhs-number, Observation/vm-status-category-a, 200)
* insert SandboxScenario(9990237573, nhs-number, Observation/vm-status-category-b, 200)
* insert SandboxScenario(9990316767, nhs-number, Observation/vm-status-category-c, 200)
* insert SandboxScenario(9990395950, nhs-number, Observation/vm-status-category-d, 200)
* insert SandboxScenario(9990475148, nhs-number, Observation/vm-status-category-e, 200)
* insert SandboxScenario(9990554331, nhs-number, Observation/vm-status-category-f, 200)
* insert SandboxScenario(9990633525, nhs-number, Observation/vm-status-decision-pending, 200)
* insert SandboxScenario(9990712719, nhs-number, Observation/vm-status-none, 200)
* insert SandboxScenario(9990791902, nhs-number, Observation/vm-status-basic-only, 200)
* insert SandboxScenario(9990871094, nhs-number, OperationOutcome/vm-warning-no-record-found, 200)
* insert SandboxScenario(9991023453, nhs-number, OperationOutcome/vm-error-patient-not-found, 404)
* insert SandboxScenario(9990554332, nhs-number, OperationOutcome/vm-error-invalid-nhs-number, 400)
* insert SandboxScenario(200000000403, asid, OperationOutcome/vm-error-asid-check-failed, 403)
* insert SandboxScenario(200000000495, asid, OperationOutcome/vm-error-access-denied-ssl, 403)
