// Resources carried inside the JWT of every request, for audit and provenance.
// R4 versions of the original (STU3) Visitors and Migrants audit profiles.

Profile: VmAuditPatient
Parent: Patient
Id: vm-audit-patient
Title: "Audit Patient (requested_record)"
Description: "The patient whose status is requested, as sent in the requested_record claim of the JWT. Only the NHS Number is sent: Spine checks it against the NHS Number in the search (a mismatch gives REQUEST_UNMATCHED) and records it in the audit trail, so that the patient can later learn who looked up their status. Every other Patient element is prohibited, because the audit trail needs to know whose record was read, not anything else about them."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* identifier 1..1
* identifier only VmNhsNumberIdentifier
// Repeated from the identifier profile for validators that do not follow type profiles.
* identifier obeys vm-nhs-number-1 and vm-nhs-number-2
* identifier ^short = "NHS Number of the patient whose status is requested"
* identifier ^definition = "The NHS Number, which must be the same as the one in the search URL."
* identifier MS
* insert NotSent(active, [[Not sent: only the NHS Number is needed]], [[Not sent. The audit record needs only the NHS Number.]])
* insert NotSent(name, [[Not sent: no demographics in the token]], [[Not sent. The NHS Number identifies the patient; names in tokens end up in logs.]])
* insert NotSent(telecom, [[Not sent: no demographics in the token]], [[Not sent. Contact details are not needed to look up or audit a status.]])
* insert NotSent(gender, [[Not sent: no demographics in the token]], [[Not sent. Not needed to look up or audit a status.]])
* insert NotSent(birthDate, [[Not sent: no demographics in the token]], [[Not sent. Not needed to look up or audit a status.]])
* insert NotSent(deceased[x], [[Not sent: no demographics in the token]], [[Not sent. Not needed to look up or audit a status.]])
* insert NotSent(address, [[Not sent: no demographics in the token]], [[Not sent. An address says nothing the audit needs and could hint at residence.]])
* insert NotSent(maritalStatus, [[Not sent: no demographics in the token]], [[Not sent. Not needed to look up or audit a status.]])
* insert NotSent(multipleBirth[x], [[Not sent: no demographics in the token]], [[Not sent. Not needed to look up or audit a status.]])
* insert NotSent(photo, [[Not sent: no demographics in the token]], [[Not sent. Not needed to look up or audit a status.]])
* insert NotSent(contact, [[Not sent: no demographics in the token]], [[Not sent. Not needed to look up or audit a status.]])
* insert NotSent(communication, [[Not sent: no demographics in the token]], [[Not sent. Language and interpreter needs are not needed to audit a look-up.]])
* insert NotSent(generalPractitioner, [[Not sent: no demographics in the token]], [[Not sent. The requesting organisation is in its own claim.]])
* insert NotSent(managingOrganization, [[Not sent: no demographics in the token]], [[Not sent. The requesting organisation is in its own claim.]])
* insert NotSent(link, [[Not sent: no demographics in the token]], [[Not sent. Links to other patient records are not needed.]])

Profile: VmAuditDevice
Parent: Device
Id: vm-audit-device
Title: "Audit Device (requesting_device)"
Description: "The system that sends the request, as carried in the requesting_device claim of the JWT: its identifier, product name, version and maker. Spine records it so that every look-up can be traced to the software that made it."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* identifier 1..*
* identifier ^short = "Identifier of the sending system, for example its Spine ASID"
* identifier ^definition = "At least one identifier of the sending system, with system and value, such as its Spine accredited system id (ASID)."
* identifier MS
* manufacturer MS
* deviceName MS
* version MS
* identifier.system 1..1
* identifier.value 1..1
* insert Why(identifier.system, [[Namespace of the identifier]], [[Required so that the value can be interpreted: for example https://fhir.nhs.uk/Id/nhsSpineASID for an ASID.]])
* insert Why(identifier.value, [[The identifier of the system]], [[Required: an identifier without a value identifies nothing.]])
* manufacturer 1..1
* manufacturer ^short = "Supplier of the system"
* manufacturer ^definition = "The supplier of the sending system, so that faults and misuse can be followed up with them."
* deviceName 1..1
* deviceName ^short = "Product name of the sending system"
* deviceName ^definition = "The product name of the sending system."
* deviceName.type = #model-name (exactly)
* insert Why(deviceName.type, [[Always model-name]], [[Fixed to model-name: the name is the product name of the sending system, as it appears in its assurance record.]])
* version 1..1
* version ^short = "Version of the sending system"
* version ^definition = "The software version of the sending system."
* version.value 1..1
* insert NotSent(patient, [[Not sent: the device is not a patient's]], [[Not sent. The requesting device belongs to the organisation, not to a patient.]])

Profile: VmAuditOrganization
Parent: Organization
Id: vm-audit-organization
Title: "Audit Organization (requesting_organization)"
Description: "The care organisation where the request starts, as carried in the requesting_organization claim of the JWT, identified by its ODS code. It is the organisation whose staff look at the status, not a hosting company or integration engine that passes the request on, so that the audit trail shows who really looked."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* identifier 1..*
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.description = "Sliced by identifier system; the ODS code is required."
* insert Why(identifier, [[Identifiers of the organisation: the ODS code is required]], [[At least the ODS code, which ties the look-up to a known NHS organisation in the audit trail.]])
* identifier contains odsCode 1..1
* identifier[odsCode] MS
* name MS
* identifier[odsCode] ^short = "ODS code of the care organisation"
* identifier[odsCode] ^definition = "The Organisation Data Service code of the organisation where the request starts."
* identifier[odsCode].system 1..1
* identifier[odsCode].system = $ODSCode (exactly)
* identifier[odsCode].value 1..1
* insert Why(identifier[odsCode].system, [[Always https://fhir.nhs.uk/Id/ods-organization-code]], [[Fixed to the ODS code namespace, so that the slice can only hold an ODS code.]])
* insert Why(identifier[odsCode].value, [[The ODS code]], [[The organisation's ODS code.]])
* name 1..1
* name ^short = "Name of the care organisation"
* name ^definition = "The name of the organisation, as held by ODS."

Profile: VmAuditPractitioner
Parent: Practitioner
Id: vm-audit-practitioner
Title: "Audit Practitioner (requesting_practitioner)"
Description: "The person who asked for the status, as carried in the requesting_practitioner claim of the JWT. A smartcard user is identified by their SDS user id and SDS role profile id. A user without a smartcard has the value UNK in both SDS identifiers and is identified by a local user id from the sending organisation's own system (invariant vm-prac-1). Spine records the person so that the patient can learn who looked."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* obeys vm-prac-1
* identifier 2..*
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.description = "Sliced by identifier system: SDS user id and SDS role profile id are required; other slices hold local user ids."
* insert Why(identifier, [[SDS user id, SDS role profile id and any local user id]], [[At least the two SDS identifiers (UNK for a user without a smartcard), so that every look-up is tied to a person and the role they acted in.]])
* identifier contains sdsUserId 1..1 and sdsRoleProfileId 1..1
* identifier[sdsUserId] MS
* identifier[sdsRoleProfileId] MS
* name MS
* identifier[sdsUserId] ^short = "SDS user id, or UNK for a user without a smartcard"
* identifier[sdsUserId] ^definition = "The user's Spine Directory Service user id from their smartcard, or UNK when the user has no smartcard (a local user id is then required)."
* identifier[sdsUserId].system 1..1
* identifier[sdsUserId].system = $SDSUserId (exactly)
* identifier[sdsUserId].value 1..1
* identifier[sdsRoleProfileId] ^short = "SDS role profile id, or UNK for a user without a smartcard"
* identifier[sdsRoleProfileId] ^definition = "The Spine Directory Service role profile id the user is working under, which says in what role they looked at the status; UNK when the user has no smartcard."
* identifier[sdsRoleProfileId].system 1..1
* identifier[sdsRoleProfileId].system = $SDSRoleProfileId (exactly)
* identifier[sdsRoleProfileId].value 1..1
* insert Why(identifier[sdsUserId].system, [[Always https://fhir.nhs.uk/Id/sds-user-id]], [[Fixed to the SDS user id namespace.]])
* insert Why(identifier[sdsUserId].value, [[SDS user id or UNK]], [[The SDS user id from the user's smartcard, or UNK.]])
* insert Why(identifier[sdsRoleProfileId].system, [[Always https://fhir.nhs.uk/Id/sds-role-profile-id]], [[Fixed to the SDS role profile id namespace.]])
* insert Why(identifier[sdsRoleProfileId].value, [[SDS role profile id or UNK]], [[The SDS role profile id the user is working under, or UNK.]])
* name 1..1
* name ^short = "Name of the user"
* name ^definition = "The user's name, so that the patient can be told who looked at their status."
* name.family 1..1
* insert Why(name.family, [[Family name of the user]], [[Required so that the person who looked can be named to the patient.]])
