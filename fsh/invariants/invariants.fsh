// Invariants of the guide's profiles. Keys are stable: validators and the invalid-instance
// corpus (test/fixtures/invalid/manifest.json) refer to them.

Invariant: vm-nhs-number-1
Description: "An NHS Number is exactly ten digits, with no spaces or other characters."
Severity: #error
Expression: "value.matches('^[0-9]{10}$')"

Invariant: vm-nhs-number-2
Description: "The tenth digit of an NHS Number is its modulus 11 check digit: multiply the first nine digits by 10, 9, ... 2, add the products, take the remainder r of the sum divided by 11; the check digit is 11 - r, with 11 read as 0, and a result of 10 means the number is not valid."
Severity: #error
Expression: "value.matches('^[0-9]{10}$') implies ((11 - ((value.substring(0, 1).toInteger() * 10 + value.substring(1, 1).toInteger() * 9 + value.substring(2, 1).toInteger() * 8 + value.substring(3, 1).toInteger() * 7 + value.substring(4, 1).toInteger() * 6 + value.substring(5, 1).toInteger() * 5 + value.substring(6, 1).toInteger() * 4 + value.substring(7, 1).toInteger() * 3 + value.substring(8, 1).toInteger() * 2) mod 11)) mod 11) = value.substring(9, 1).toInteger()"

Invariant: vm-obs-1
Description: "The date of the latest Home Office or Overseas Visitors Manager update is given at least to the day."
Severity: #error
Expression: "(effective as dateTime).exists() implies (effective as dateTime).toString().length() >= 10"

Invariant: vm-bundle-1
Description: "A chargeable-status Observation in the response carries meta.versionId, so a client can tell whether the status has changed since it last read it."
Severity: #error
Expression: "entry.resource.ofType(Observation).all(meta.versionId.exists())"

Invariant: vm-bundle-2
Description: "An OperationOutcome in a successful search response is the NO_RECORD_FOUND warning; errors are never returned inside a searchset Bundle."
Severity: #error
Expression: "entry.resource.ofType(OperationOutcome).all(issue.details.coding.where(system = 'https://fhir.nhs.uk/vm/CodeSystem/vm-spine-error-code' and code = 'NO_RECORD_FOUND').exists())"

Invariant: vm-bundle-3
Description: "Bundle.total counts the Observations found: 1 when a status is returned, 0 when the only entry is the NO_RECORD_FOUND OperationOutcome."
Severity: #error
Expression: "total.exists() implies total = entry.resource.ofType(Observation).count()"

Invariant: vm-bundle-4
Description: "Where an entry gives its search mode, the mode says what the entry is: match for the Observation, outcome for the OperationOutcome."
Severity: #error
Expression: "entry.all(search.exists() implies ((resource is Observation implies search.mode = 'match') and (resource is OperationOutcome implies search.mode = 'outcome')))"

Invariant: vm-prac-1
Description: "A user without a smartcard has the SDS user id UNK and SHALL then be identified by a local user identifier from the sending organisation's own system."
Severity: #error
Expression: "identifier.where(system = 'https://fhir.nhs.uk/Id/sds-user-id' and value = 'UNK').exists() implies identifier.where(system != 'https://fhir.nhs.uk/Id/sds-user-id' and system != 'https://fhir.nhs.uk/Id/sds-role-profile-id' and value.exists()).exists()"
