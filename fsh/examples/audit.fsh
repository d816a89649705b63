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

Instance: vm-lookup-audit-example
InstanceOf: VmLookupAuditEvent
Usage: #example
Title: "Audit record of a look-up"
Description: "What Spine (and the sandbox) records when the user of vm-audit-practitioner-smartcard at vm-audit-organization-example looks up the status of the patient with NHS Number 9990554331 with the system vm-audit-device-example: who, where, which system, why, the trace id, when and the answer code. Nothing of the status itself."
* type = http://terminology.hl7.org/CodeSystem/audit-event-type#rest "RESTful Operation"
* subtype = http://hl7.org/fhir/restful-interaction#search-type "search-type"
* action = #E
* recorded = "2025-11-20T09:12:31+00:00"
* outcome = #0
* outcomeDesc = "FOUND"
* purposeOfEvent.text = "directcare"
* agent[practitioner].type = VmAuditAgentTypeCS#requesting_practitioner "Requesting practitioner"
* agent[practitioner].requestor = true
* agent[practitioner].who.identifier.system = $SDSUserId
* agent[practitioner].who.identifier.value = "555021935107"
* agent[practitioner].altId = "555021936103"
* agent[practitioner].name = "Ms Adaeze Okafor"
* agent[organization].type = VmAuditAgentTypeCS#requesting_organization "Requesting organisation"
* agent[organization].requestor = false
* agent[organization].who.identifier.system = $ODSCode
* agent[organization].who.identifier.value = "X99999"
* agent[organization].name = "Example Hospitals NHS Foundation Trust"
* agent[device].type = VmAuditAgentTypeCS#requesting_device "Requesting device"
* agent[device].requestor = false
* agent[device].who.identifier.system = $SpineASID
* agent[device].who.identifier.value = "200000000359"
* agent[device].name = "Example Patient Administration System 4.2.1"
* source.observer.identifier.system = $SpineASID
* source.observer.identifier.value = "999999999999"
* source.observer.display = "NHS Spine Visitors and Migrants endpoint"
* entity.what.identifier.system = $NHSNumber
* entity.what.identifier.value = "9990554331"
* entity.type = http://terminology.hl7.org/CodeSystem/audit-entity-type#1 "Person"
* entity.role = http://terminology.hl7.org/CodeSystem/object-role#1 "Patient"
* entity.detail.type = "Ssp-TraceID"
* entity.detail.valueString = "c2b1e8a4-3f6d-4b8e-9a57-1d2f0c9e4b31"
* insert Narrative([[<p>Look-up of NHS Number 999 055 4331 on 20 November 2025 by Ms Adaeze Okafor (SDS role profile 555021936103), Example Hospitals NHS Foundation Trust (X99999), with Example Patient Administration System 4.2.1, for directcare: FOUND</p>]])
