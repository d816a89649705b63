// The four resources a client puts in the JWT of a request (all synthetic).

Instance: vm-audit-patient-example
InstanceOf: VmAuditPatient
Usage: #example
Title: "JWT requested_record: the patient whose status is requested"
Description: "The requested_record claim for the search in vm-search-response-found: the NHS Number only."
* identifier.system = $NHSNumber
* identifier.value = "9990554331"
* insert Narrative([[<p>Patient with NHS Number 999 055 4331 (requested_record)</p>]])

Instance: vm-audit-device-example
InstanceOf: VmAuditDevice
Usage: #example
Title: "JWT requesting_device: the sending system"
Description: "The requesting_device claim: a patient administration system identified by its Spine ASID, with its supplier, product name and version."
* identifier[0].system = $SpineASID
* identifier[0].value = "200000000359"
* manufacturer = "Example Health Software Ltd"
* deviceName[0].name = "Example Patient Administration System"
* deviceName[0].type = #model-name
* version[0].value = "4.2.1"
* insert Narrative([[<p>Example Patient Administration System 4.2.1, by Example Health Software Ltd; Spine ASID 200000000359</p>]])

Instance: vm-audit-organization-example
InstanceOf: VmAuditOrganization
Usage: #example
Title: "JWT requesting_organization: the care organisation"
Description: "The requesting_organization claim: the NHS trust where the request starts, identified by its ODS code (a synthetic code)."
* identifier[odsCode].system = $ODSCode
* identifier[odsCode].value = "X99999"
* name = "Example Hospitals NHS Foundation Trust"
* insert Narrative([[<p>Example Hospitals NHS Foundation Trust, ODS code X99999</p>]])

Instance: vm-audit-practitioner-smartcard
InstanceOf: VmAuditPractitioner
Usage: #example
Title: "JWT requesting_practitioner: a smartcard user"
Description: "The requesting_practitioner claim for a member of staff logged in with an NHS smartcard: SDS user id and SDS role profile id."
* identifier[sdsUserId].system = $SDSUserId
* identifier[sdsUserId].value = "555021935107"
* identifier[sdsRoleProfileId].system = $SDSRoleProfileId
* identifier[sdsRoleProfileId].value = "555021936103"
* name[0].family = "Okafor"
* name[0].given[0] = "Adaeze"
* name[0].prefix[0] = "Ms"
* insert Narrative([[<p>Ms Adaeze Okafor: smartcard user, SDS user id 555021935107, SDS role profile id 555021936103</p>]])

Instance: vm-audit-practitioner-local
InstanceOf: VmAuditPractitioner
Usage: #example
Title: "JWT requesting_practitioner: a user without a smartcard"
Description: "The requesting_practitioner claim for a member of staff without a smartcard: both SDS identifiers are UNK and the user is identified by the trust's own user id (invariant vm-prac-1)."
* identifier[sdsUserId].system = $SDSUserId
* identifier[sdsUserId].value = "UNK"
* identifier[sdsRoleProfileId].system = $SDSRoleProfileId
* identifier[sdsRoleProfileId].value = "UNK"
* identifier[2].system = "https://example-hospitals.example/Id/local-user-id"
* identifier[2].value = "ovm-jbrennan"
* name[0].family = "Brennan"
* name[0].given[0] = "Joe"
* insert Narrative([[<p>Joe Brennan: no smartcard (SDS user id and role profile id UNK), local user id ovm-jbrennan</p>]])
