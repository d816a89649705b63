// The chargeable-status Observation: the one thing the Visitors and Migrants API returns.

Profile: VmChargeableStatusObservation
Parent: Observation
Id: vm-chargeable-status-observation
Title: "Chargeable Status Observation"
Description: """
A patient's overseas-visitor chargeable status as NHS Spine holds it, returned by the Visitors and Migrants API.

It carries three coded components and one date, and nothing else:

* the basic chargeable status (Y, N or U), always present;
* the category chargeable status (A to F, DECISION_PENDING or NONE), when one has been recorded;
* the status source (Home Office feed or Overseas Visitors Manager assessment), always present;
* effectiveDateTime, the date of the latest Home Office or Overseas Visitors Manager update.

The status source is a third component slice, STATUS_SOURCE, with a minimum cardinality of 1 and a required binding, rather than an extension. Every client that reads the status already walks Observation.component to find it, so the source sits next to the value it qualifies and cannot be skipped the way an unrecognised extension can; and because the component slicing is closed, no other component can be added beside it.

Data minimisation: every element that could carry immigration history, visa details, Home Office reference numbers, the name of the assessing trust or free text is prohibited (cardinality 0..0). The API answers one question - is this patient likely to be charged, on whose word and since when - and nothing more.
"""
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* obeys vm-obs-1
* text ^short = "Narrative, if present, renders only the coded status, source and date"
* text ^definition = "If a narrative is included it SHALL show only what the coded elements say: the basic status, the category, the source and the date. It is not a place for free text about the patient."
* insert NotSent(contained, [[Not sent: no other resources travel with the status]], [[Not sent. Contained resources could carry patient or immigration details; the status stands alone.]])
* insert NotSent(extension, [[Not sent: no data beyond status, category, source and date]], [[Not sent. Extensions could carry immigration details such as visa type or Home Office reference numbers. The status source, which might have been an extension, is a required component so that no client can miss it.]])
* insert NotSent(modifierExtension, [[Not sent: nothing may change the meaning of the status]], [[Not sent. The status means exactly what its coded components say.]])
* insert NotSent(identifier, [[Not sent: keeps Home Office and trust reference numbers out of the response]], [[Not sent. An Observation identifier could expose Home Office reference numbers or trust case numbers; the response carries no business identifier. Clients use the resource id and meta.versionId.]])
* insert NotSent(basedOn, [[Not sent: the status answers no order or plan]], [[Not sent. The status is not the result of a request or care plan.]])
* insert NotSent(partOf, [[Not sent: the status belongs to no procedure or event]], [[Not sent. The status is not part of a clinical event.]])
* status = #final (exactly)
* status ^short = "Always final"
* status ^definition = "Always final: Spine only returns the status it currently holds. A status that is being assessed is sent as final with the category DECISION_PENDING; a withdrawn status as final with the category NONE."
* insert NotSent(category, [[Not sent: the code already classifies the Observation]], [[Not sent. Observation.code 0001 says all there is to say about what kind of Observation this is.]])
* code = VmObservationCodeCS#0001
* code ^short = "Always 0001: Visitors and Migrants status observation"
* code ^definition = "Identifies the Observation as a Visitors and Migrants chargeable status. Clients search on this code."
* subject 1..1
* subject only Reference(Patient)
* subject ^short = "The patient, identified by NHS Number only"
* subject ^definition = "The patient the status belongs to, identified by their NHS Number and nothing else: no name, no address, no link to a demographic record."
* insert NotSent(subject.reference, [[Not sent: the patient is named by NHS Number, not by a resource link]], [[Not sent. Spine does not return a Patient resource with the status; the NHS Number identifier is the link.]])
* subject.identifier 1..1
* subject.identifier only VmNhsNumberIdentifier
// The NHS Number invariants are repeated here so that validators which do not follow type profiles still check them.
* subject.identifier obeys vm-nhs-number-1 and vm-nhs-number-2
* subject.identifier ^short = "NHS Number of the patient"
* subject.identifier ^definition = "The patient's NHS Number, the same number the client searched with."
* insert NotSent(subject.display, [[Not sent: no patient name in the response]], [[Not sent. The patient's name is not needed to use the status and is left out.]])
* insert NotSent(focus, [[Not sent: the status is about the subject only]], [[Not sent. The status always describes the subject.]])
* insert NotSent(encounter, [[Not sent: a status is not tied to a visit]], [[Not sent. The status is held nationally, not per encounter, and sending the encounter would reveal where the patient was seen.]])
* effective[x] 1..1
* effective[x] only dateTime
* effective[x] ^short = "Date of the latest Home Office or OVM update"
* effective[x] ^definition = "When the Home Office feed or an Overseas Visitors Manager last updated the status. With the status source it lets the patient and staff trace the status to its origin, check it and challenge it."
* insert NotSent(issued, [[Not sent: effectiveDateTime is the only date that matters]], [[Not sent. The one date that matters is when the status was last updated (effectiveDateTime); meta.lastUpdated says when Spine last changed the record.]])
* insert NotSent(performer, [[Not sent: keeps the assessing trust and officer out of the response]], [[Not sent. Naming the Overseas Visitors Manager or trust would reveal where the patient has been treated. The status source says what kind of body set the status; the audit trail behind the API holds the rest for challenges.]])
* insert NotSent(value[x], [[Not sent: the status is in the components]], [[Not sent. The status is carried in coded components so that each part has its own required binding; a root value (for example free text in valueString) could carry anything.]])
* insert NotSent(dataAbsentReason, [[Not sent: a missing status is answered with NO_RECORD_FOUND]], [[Not sent. When Spine holds no status it returns the NO_RECORD_FOUND OperationOutcome instead of an empty Observation.]])
* insert NotSent(interpretation, [[Not sent: the status is not to be interpreted further]], [[Not sent. An interpretation code would add an unreviewed judgement to the recorded status.]])
* insert NotSent(note, [[Not sent: keeps free-text immigration details out of the response]], [[Not sent. Notes are free text and could carry immigration history, visa type or Home Office reference numbers.]])
* insert NotSent(bodySite, [[Not sent: not a clinical observation]], [[Not sent. A chargeable status has no body site.]])
* insert NotSent(method, [[Not sent: how a status was reached is not shared]], [[Not sent. How the status was decided could expose immigration details; the source says who set it.]])
* insert NotSent(specimen, [[Not sent: not a clinical observation]], [[Not sent. A chargeable status has no specimen.]])
* insert NotSent(device, [[Not sent: not a clinical observation]], [[Not sent. A chargeable status is not measured by a device.]])
* insert NotSent(referenceRange, [[Not sent: not a measurement]], [[Not sent. A chargeable status has no normal range.]])
* insert NotSent(hasMember, [[Not sent: no related observations travel with the status]], [[Not sent. Linked observations could carry the evidence behind the status, such as immigration records.]])
* insert NotSent(derivedFrom, [[Not sent: the evidence behind the status stays with its source]], [[Not sent. Pointing to the documents the status was derived from could expose immigration records.]])
* component 2..3
* component ^short = "Basic status, category status and status source"
* component ^definition = "The coded parts of the status. The slicing is closed: only the three components defined here may be sent."
* component.value[x] 1..1
* component.value[x] only CodeableConcept
* component.valueCodeableConcept.coding 1..1
* component.valueCodeableConcept.coding.system 1..1
* component.valueCodeableConcept.coding.code 1..1
* insert Why(component.value[x], [[Coded value of the component]], [[Every component carries exactly one coded value; free text and other types are not allowed.]])
* insert Why(component.valueCodeableConcept.coding, [[Exactly one code]], [[One code from the component's value set, so that the value cannot be ambiguous.]])
* insert Why(component.valueCodeableConcept.coding.system, [[Code system of the value]], [[Required: a code means nothing without its system.]])
* insert Why(component.valueCodeableConcept.coding.code, [[The code]], [[Required: the coded value itself.]])
* insert NotSent(component.valueCodeableConcept.text, [[Not sent: codes only, no free text]], [[Not sent. Free text beside the code could carry immigration details.]])
* insert NotSent(component.dataAbsentReason, [[Not sent: a component is either sent with a value or left out]], [[Not sent. An optional component that has no value is left out.]])
* insert NotSent(component.interpretation, [[Not sent: the status is not to be interpreted further]], [[Not sent. An interpretation code would add an unreviewed judgement to the recorded status.]])
* insert NotSent(component.referenceRange, [[Not sent: not a measurement]], [[Not sent. A chargeable status has no normal range.]])
* component ^slicing.discriminator.type = #pattern
* component ^slicing.discriminator.path = "code"
* component ^slicing.rules = #closed
* component ^slicing.ordered = false
* component ^slicing.description = "Sliced by component code: BASIC_CHARGEABLE_STATUS, STATUS_SOURCE and CATEGORY_CHARGEABLE_STATUS. Closed, so nothing else can be added."
* component contains basicStatus 1..1 and statusSource 1..1 and categoryStatus 0..1
* component[basicStatus] ^short = "Basic chargeable status: Y, N or U"
* component[basicStatus] ^definition = "Whether the patient is likely to be charged for secondary care (Y), not chargeable (N), or unset (U). Always sent."
* component[basicStatus].code = VmComponentCodeCS#BASIC_CHARGEABLE_STATUS
* component[basicStatus].valueCodeableConcept from VmBasicChargeableStatusVS (required)
* insert Why(component[basicStatus].code, [[Always BASIC_CHARGEABLE_STATUS]], [[Identifies the component; clients find the component by this code, not by its position.]])
* insert Why(component[basicStatus].value[x], [[Y, N or U]], [[Required binding: only these codes may be sent, so that every client can act on every value.]])
* component[statusSource] ^short = "Where the status came from: Home Office feed or OVM assessment"
* component[statusSource] ^definition = "Who set the status: the Home Office data feed or an Overseas Visitors Manager assessment. Always sent, so that the status can be traced to its origin, checked and challenged."
* component[statusSource].code = VmComponentCodeCS#STATUS_SOURCE
* component[statusSource].valueCodeableConcept from VmStatusSourceVS (required)
* insert Why(component[statusSource].code, [[Always STATUS_SOURCE]], [[Identifies the component; clients find the component by this code, not by its position.]])
* insert Why(component[statusSource].value[x], [[HOME_OFFICE_FEED or OVM_ASSESSMENT]], [[Required binding: only these codes may be sent, so that every client can act on every value.]])
* component[categoryStatus] ^short = "Category chargeable status: A-F, DECISION_PENDING or NONE"
* component[categoryStatus] ^definition = "The category an Overseas Visitors Manager (or, for surcharge payees, the Home Office feed) has recorded. Left out when no category has been recorded."
* component[categoryStatus].code = VmComponentCodeCS#CATEGORY_CHARGEABLE_STATUS
* component[categoryStatus].valueCodeableConcept from VmCategoryChargeableStatusVS (required)
* insert Why(component[categoryStatus].code, [[Always CATEGORY_CHARGEABLE_STATUS]], [[Identifies the component; clients find the component by this code, not by its position.]])
* insert Why(component[categoryStatus].value[x], [[A-F, DECISION_PENDING or NONE]], [[Required binding: only these codes may be sent, so that every client can act on every value.]])
// Must support: what every client SHALL read and act on (see "Must support" on the Using the API page).
* meta.versionId MS
* status MS
* code MS
* subject MS
* subject.identifier MS
* effective[x] MS
* component MS
* component.code MS
* component.value[x] MS
* component[basicStatus] MS
* component[statusSource] MS
* component[categoryStatus] MS
