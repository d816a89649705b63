// The audit record Spine keeps of every chargeable-status look-up: who asked, from where, why,
// about which NHS Number, when, and with what result. Nothing clinical and nothing about the
// patient's status is recorded.

CodeSystem: VmAuditAgentTypeCS
Id: vm-audit-agent-type
Title: "Look-up Audit Agent Type"
Description: "Who took part in a chargeable-status look-up, named after the JWT claim each one comes from."
* insert Maturity(1)
* ^status = #draft
* ^experimental = false
* ^caseSensitive = true
* #requesting_practitioner "Requesting practitioner" "The person who asked for the status (the requesting_practitioner claim)."
* #requesting_organization "Requesting organisation" "The care organisation where the request started (the requesting_organization claim)."
* #requesting_device "Requesting device" "The system that sent the request (the requesting_device claim)."

ValueSet: VmAuditAgentTypeVS
Id: vm-audit-agent-type
Title: "Look-up Audit Agent Type"
Description: "All look-up audit agent types."
* insert Maturity(1)
* ^status = #draft
* ^experimental = false
* include codes from system VmAuditAgentTypeCS

Profile: VmLookupAuditEvent
Parent: AuditEvent
Id: vm-lookup-audit-event
Title: "Chargeable Status Look-up Audit Event"
Description: "The record kept of one chargeable-status look-up: who asked (practitioner, with their SDS role profile id), from which care organisation, with which system, why (reason_for_request), about which NHS Number, the Ssp-TraceID of the request, when, and whether it succeeded (the Spine code returned). It is what lets a patient learn who looked at their status. It holds no clinical data and nothing of the status itself: not the category, not the source, not the date."
* insert Maturity(1)
* ^status = #draft
* ^experimental = false
* type = http://terminology.hl7.org/CodeSystem/audit-event-type#rest "RESTful Operation"
* insert Why(type, [[Always rest: a RESTful look-up]], [[Every look-up is a RESTful interaction with Spine.]])
* subtype 1..1
* subtype = http://hl7.org/fhir/restful-interaction#search-type "search-type"
* insert Why(subtype, [[Always search-type]], [[The only interaction that reads a status is the Observation search.]])
* action 1..1
* action = #E (exactly)
* insert Why(action, [[Always E (execute): a search]], [[FHIR records a search as an execute action.]])
* period 0..0
* period ^short = "Not sent: recorded gives the time"
* recorded ^short = "When Spine answered the look-up"
* outcome 1..1
* outcome ^short = "0 success (including NO_RECORD_FOUND), 4 refused request"
* outcomeDesc 1..1
* outcomeDesc ^short = "The Spine code of the answer: FOUND or a Spine error code"
* outcomeDesc ^definition = "FOUND when a status was returned; otherwise the Spine error or warning code of the answer, such as NO_RECORD_FOUND or REQUEST_UNMATCHED. Never the status itself."
* purposeOfEvent 1..1
* purposeOfEvent.coding 0..0
* purposeOfEvent.text 1..1
* purposeOfEvent ^short = "reason_for_request from the JWT (directcare)"
* insert Why(purposeOfEvent.text, [[reason_for_request, as sent]], [[The reason the client gave, kept as sent so it can be checked.]])
* agent ^slicing.discriminator.type = #pattern
* agent ^slicing.discriminator.path = "type"
* agent ^slicing.rules = #closed
* agent ^slicing.description = "One agent per JWT claim: practitioner, organisation and device."
* agent contains practitioner 1..1 and organization 1..1 and device 1..1
* agent.type 1..1
* agent.type from VmAuditAgentTypeVS (required)
* agent.who 1..1
* agent.who.identifier 1..1
* agent.who.identifier.system 1..1
* agent.who.identifier.value 1..1
* agent.who.reference 0..0
* agent.location 0..0
* agent.media 0..0
* agent.network 0..0
* agent.purposeOfUse 0..0
* agent[practitioner].type = VmAuditAgentTypeCS#requesting_practitioner
* agent[practitioner].requestor = true (exactly)
* agent[practitioner].who.identifier.system = $SDSUserId (exactly)
* agent[practitioner].altId 1..1
* agent[practitioner].altId ^short = "SDS role profile id the user worked under (or UNK)"
* agent[practitioner].name 1..1
* agent[practitioner].name ^short = "The user's name, so the patient can be told who looked"
* agent[organization].type = VmAuditAgentTypeCS#requesting_organization
* agent[organization].requestor = false (exactly)
* agent[organization].who.identifier.system = $ODSCode (exactly)
* agent[organization].name 1..1
* agent[device].type = VmAuditAgentTypeCS#requesting_device
* agent[device].requestor = false (exactly)
* agent[device].name 1..1
* agent[device].name ^short = "Product name and version of the sending system"
* source.observer.identifier 1..1
* source.observer.identifier.system = $SpineASID (exactly)
* source.observer.identifier ^short = "The Spine ASID the request was sent to (Ssp-To)"
* source.observer.reference 0..0
* source.type 0..0
* entity 1..1
* entity ^short = "The patient whose status was looked up, by NHS Number only"
* entity.what 1..1
* entity.what.identifier 1..1
* entity.what.identifier only VmNhsNumberIdentifier
* entity.what.reference 0..0
* entity.what.display 0..0
* entity.type = http://terminology.hl7.org/CodeSystem/audit-entity-type#1 "Person"
* entity.role = http://terminology.hl7.org/CodeSystem/object-role#1 "Patient"
* entity.lifecycle 0..0
* entity.securityLabel 0..0
* entity.name 0..0
* entity.description 0..0
* entity.query 0..0
* entity.query ^short = "Not sent: the NHS Number is the only search value worth keeping"
* entity.detail 1..1
* entity.detail.type = "Ssp-TraceID" (exactly)
* entity.detail.value[x] only string
* entity.detail ^short = "The Ssp-TraceID of the request, to match the audit record with the client's logs"
