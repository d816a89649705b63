Instance: vm-spine-capability
InstanceOf: CapabilityStatement
Usage: #definition
Title: "Visitors and Migrants API on NHS Spine"
Description: "What the Spine endpoint of the Visitors and Migrants API supports: one search on Observation by the patient's NHS Number and the chargeable-status code, and a read of this CapabilityStatement (GET [base]/metadata). Everything is read-only, served as JSON or XML, over mutually authenticated TLS and with a JWT bearer token on every request."
* url = "https://fhir.nhs.uk/vm/CapabilityStatement/vm-spine-capability"
* version = "0.1.0"
* name = "VmSpineCapability"
* title = "Visitors and Migrants API on NHS Spine"
* status = #draft
* insert MaturityOfInstance(1)
* experimental = false
* date = "2026-11-21"
* publisher = "NHS England"
* description = "What the Spine endpoint of the Visitors and Migrants API supports: one search on Observation by the patient's NHS Number and the chargeable-status code, and a read of this CapabilityStatement (GET [base]/metadata). Everything is read-only, served as JSON or XML, over mutually authenticated TLS and with a JWT bearer token on every request."
* jurisdiction = urn:iso:std:iso:3166#GB "United Kingdom of Great Britain and Northern Ireland"
* insert Narrative([[<p>Visitors and Migrants API on NHS Spine (FHIR 4.0.1, JSON and XML).</p><ul><li>Observation: search-type with subject:Patient.identifier (NHS Number), code (0001) and _format</li><li>GET [base]/metadata returns this CapabilityStatement</li><li>Security: mutually authenticated TLS and a JWT bearer token carrying audit claims</li></ul>]])
* kind = #requirements
* fhirVersion = #4.0.1
* format[0] = #application/fhir+json
* format[1] = #application/fhir+xml
* rest[0].mode = #server
* rest[0].documentation = """
Spine serves the Visitors and Migrants API through the Spine Secure Proxy. Two interactions exist:

* search for the chargeable-status Observation (interaction id `urn:nhs:names:services:visitorsandmigrants:fhir:rest:search:observation`);
* read this CapabilityStatement with `GET [base]/metadata` (interaction id `urn:nhs:names:services:visitorsandmigrants:fhir:rest:read:metadata`).

Every request carries the headers Ssp-TraceID, Ssp-From, Ssp-To, Ssp-InteractionID and Authorization; Ssp-Version is optional and defaults to 1. JSON is preferred; ask for XML with `_format` or the Accept header.
"""
* rest[0].security.cors = false
* rest[0].security.service[0] = $RestfulSecurityService#OAuth "OAuth"
* rest[0].security.service[0].text = "JWT bearer token carrying the audit claims"
* rest[0].security.service[1] = $RestfulSecurityService#Certificates "Certificates"
* rest[0].security.service[1].text = "Mutually authenticated TLS with NHS-issued certificates"
* rest[0].security.description = """
* **TLS**: connections use TLS with mutual authentication. The client presents an NHS-issued certificate for its endpoint; Spine refuses the connection otherwise (ACCESS_DENIED_SSL) and checks that the ASID in Ssp-From is authorised for the interaction (ASID_CHECK_FAILED).
* **JWT**: every request carries `Authorization: Bearer <JWT>`. The token carries the audit claims: who is asking (requesting_practitioner), from which care organisation (requesting_organization), with which system (requesting_device), why (reason_for_request = directcare), for which patient (requested_record) and with which scope (requested_scopes = patient/Observation.read). It expires five minutes after it is issued. The NHS Number in requested_record must be the NHS Number searched for (REQUEST_UNMATCHED). The token is unsigned: its header's `alg` is `none` and its third part, the signature, is empty. `iat` is the time it is issued. A token that is missing, cannot be decoded, has expired or fails any of these checks is an invalid Authorization header: HTTP 400 MISSING_OR_INVALID_HEADER (the sandbox also refuses an `iat` more than 60 seconds ahead of its clock, another `alg` or a non-empty signature, with the same code).
* Every look-up is recorded in the Spine audit trail.
"""
* rest[0].resource[0].type = #Observation
* rest[0].resource[0].profile = Canonical(VmChargeableStatusObservation)
* rest[0].resource[0].documentation = "The response to a search is a searchset Bundle (profile vm-searchset-bundle) holding either the patient's chargeable-status Observation or an OperationOutcome with NO_RECORD_FOUND. Errors are returned as a Spine OperationOutcome (profile vm-spine-operationoutcome) with HTTP 400, 403 or 404."
* rest[0].resource[0].interaction[0].code = #search-type
* rest[0].resource[0].interaction[0].documentation = "GET [base]/Observation?subject:Patient.identifier=https://fhir.nhs.uk/Id/nhs-number|{NHS Number}&code=https://fhir.nhs.uk/vm/CodeSystem/vm-observation-code|0001, with the parameter values URL-encoded."
* rest[0].resource[0].versioning = #versioned
* rest[0].resource[0].readHistory = false
* rest[0].resource[0].updateCreate = false
* rest[0].resource[0].searchParam[0].name = "subject"
* rest[0].resource[0].searchParam[0].definition = "http://hl7.org/fhir/SearchParameter/Observation-subject"
* rest[0].resource[0].searchParam[0].type = #reference
* rest[0].resource[0].searchParam[0].documentation = "Required. Only the chained form subject:Patient.identifier is supported, with the NHS Number system and a valid NHS Number: subject:Patient.identifier=https://fhir.nhs.uk/Id/nhs-number|{NHS Number}."
* rest[0].resource[0].searchParam[1].name = "code"
* rest[0].resource[0].searchParam[1].definition = "http://hl7.org/fhir/SearchParameter/clinical-code"
* rest[0].resource[0].searchParam[1].type = #token
* rest[0].resource[0].searchParam[1].documentation = "Required. Always https://fhir.nhs.uk/vm/CodeSystem/vm-observation-code|0001."
* rest[0].resource[0].searchParam[2].name = "_format"
* rest[0].resource[0].searchParam[2].type = #string
* rest[0].resource[0].searchParam[2].documentation = "Optional. json (the default) or xml, also accepted as application/fhir+json and application/fhir+xml. The Accept header can be used instead."
