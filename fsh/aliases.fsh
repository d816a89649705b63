// Aliases shared by every FSH file of the guide.
// Identifier systems used by NHS England (NHS Number, ODS, SDS, Spine ASID).
Alias: $NHSNumber = https://fhir.nhs.uk/Id/nhs-number
Alias: $ODSCode = https://fhir.nhs.uk/Id/ods-organization-code
Alias: $SDSUserId = https://fhir.nhs.uk/Id/sds-user-id
Alias: $SDSRoleProfileId = https://fhir.nhs.uk/Id/sds-role-profile-id
Alias: $SpineASID = https://fhir.nhs.uk/Id/nhsSpineASID

// FHIR R4 core terminology.
Alias: $IssueType = http://hl7.org/fhir/issue-type
Alias: $IssueSeverity = http://hl7.org/fhir/issue-severity
Alias: $DeviceNameType = http://hl7.org/fhir/device-nametype
Alias: $RestfulSecurityService = http://terminology.hl7.org/CodeSystem/restful-security-service

// This guide's code systems, by canonical URL (used where FSH needs a literal URI).
Alias: $VmCategoryCS = https://fhir.nhs.uk/vm/CodeSystem/vm-category-chargeable-status
Alias: $OvccCS = https://fhir.nhs.uk/vm/CodeSystem/overseas-visitor-charging-category

// Extensions of the FHIR R4 core that the IG Publisher reads for an artifact's maturity and status.
Alias: $fmm = http://hl7.org/fhir/StructureDefinition/structuredefinition-fmm
Alias: $standardsStatus = http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status
