// Chargeable-status Observations: one per category A-F, DECISION_PENDING and NONE, and one with
// a basic status only. Basic statuses Y, N and U and both sources are covered.
// Every NHS Number is a synthetic 999-range number with a valid check digit.

RuleSet: StatusCommon(nhsNumber, effective, version)
* meta.versionId = "{version}"
* meta.lastUpdated = "{effective}"
* status = #final
* code = VmObservationCodeCS#0001 "Visitors and Migrants status observation"
* subject.identifier.system = $NHSNumber
* subject.identifier.value = "{nhsNumber}"
* effectiveDateTime = "{effective}"

RuleSet: BasicStatus(code, display)
* component[basicStatus].code = VmComponentCodeCS#BASIC_CHARGEABLE_STATUS "Basic chargeable status"
* component[basicStatus].valueCodeableConcept = VmBasicChargeableStatusCS#{code} "{display}"

RuleSet: CategoryStatus(code, display)
* component[categoryStatus].code = VmComponentCodeCS#CATEGORY_CHARGEABLE_STATUS "Category chargeable status"
* component[categoryStatus].valueCodeableConcept = VmCategoryChargeableStatusCS#{code} "{display}"

RuleSet: SourceHomeOffice
* component[statusSource].code = VmComponentCodeCS#STATUS_SOURCE "Status source"
* component[statusSource].valueCodeableConcept = VmStatusSourceCS#HOME_OFFICE_FEED "Home Office data feed"

RuleSet: SourceOvm
* component[statusSource].code = VmComponentCodeCS#STATUS_SOURCE "Status source"
* component[statusSource].valueCodeableConcept = VmStatusSourceCS#OVM_ASSESSMENT "Overseas Visitors Manager assessment"

Instance: vm-status-category-a
InstanceOf: VmChargeableStatusObservation
Usage: #example
Title: "Status: not chargeable, category A (OVM assessment)"
Description: "An Overseas Visitors Manager has assessed the patient as ordinarily resident in the United Kingdom: basic status N, category A (Standard NHS)."
* insert StatusCommon(9990079196, 2025-03-04T10:15:00+00:00, 3)
* insert BasicStatus(N, Not chargeable)
* insert CategoryStatus(A, Standard NHS)
* insert SourceOvm
* insert Narrative([[<p>Chargeable status for NHS Number 999 007 9196</p><ul><li>Basic chargeable status: N, Not chargeable</li><li>Category: A, Standard NHS</li><li>Source: Overseas Visitors Manager assessment</li><li>Last updated: 4 March 2025</li></ul>]])

Instance: vm-status-category-b
InstanceOf: VmChargeableStatusObservation
Usage: #example
Title: "Status: not chargeable, category B (Home Office feed)"
Description: "The Home Office feed reports that the patient has paid the Immigration Health Surcharge with their visa application: basic status N, category B (surcharge payee)."
* insert StatusCommon(9990237573, 2025-06-18T02:00:00+01:00, 1)
* insert BasicStatus(N, Not chargeable)
* insert CategoryStatus(B, Surcharge payee (or exempt\))
* insert SourceHomeOffice
* insert Narrative([[<p>Chargeable status for NHS Number 999 023 7573</p><ul><li>Basic chargeable status: N, Not chargeable</li><li>Category: B, Surcharge payee (or exempt)</li><li>Source: Home Office data feed</li><li>Last updated: 18 June 2025</li></ul>]])

Instance: vm-status-category-c
InstanceOf: VmChargeableStatusObservation
Usage: #example
Title: "Status: not chargeable, category C (OVM assessment)"
Description: "An Overseas Visitors Manager has seen a valid European Health Insurance Card for a visitor who lives in another EEA country: basic status N, category C."
* insert StatusCommon(9990316767, 2025-08-21T15:42:00+01:00, 2)
* insert BasicStatus(N, Not chargeable)
* insert CategoryStatus(C, Charge exempt (EHIC/PRC/S2\))
* insert SourceOvm
* insert Narrative([[<p>Chargeable status for NHS Number 999 031 6767</p><ul><li>Basic chargeable status: N, Not chargeable</li><li>Category: C, Charge exempt (EHIC/PRC/S2)</li><li>Source: Overseas Visitors Manager assessment</li><li>Last updated: 21 August 2025</li></ul>]])

Instance: vm-status-category-d
InstanceOf: VmChargeableStatusObservation
Usage: #example
Title: "Status: chargeable, category D (OVM assessment)"
Description: "An Overseas Visitors Manager has assessed a visitor who lives in another EEA country, holds no EHIC, PRC or S2 and is not exempt: basic status Y, category D."
* insert StatusCommon(9990395950, 2025-09-02T11:05:00+01:00, 1)
* insert BasicStatus(Y, Chargeable)
* insert CategoryStatus(D, Chargeable EEA)
* insert SourceOvm
* insert Narrative([[<p>Chargeable status for NHS Number 999 039 5950</p><ul><li>Basic chargeable status: Y, Chargeable</li><li>Category: D, Chargeable EEA</li><li>Source: Overseas Visitors Manager assessment</li><li>Last updated: 2 September 2025</li></ul>]])

Instance: vm-status-category-e
InstanceOf: VmChargeableStatusObservation
Usage: #example
Title: "Status: not chargeable, category E (OVM assessment)"
Description: "An Overseas Visitors Manager has assessed a visitor from outside the EEA who has not paid the surcharge but belongs to an exempt group: basic status N, category E."
* insert StatusCommon(9990475148, 2025-10-09T09:30:00+01:00, 2)
* insert BasicStatus(N, Not chargeable)
* insert CategoryStatus(E, Charge exempt overseas/non-EEA)
* insert SourceOvm
* insert Narrative([[<p>Chargeable status for NHS Number 999 047 5148</p><ul><li>Basic chargeable status: N, Not chargeable</li><li>Category: E, Charge exempt overseas/non-EEA</li><li>Source: Overseas Visitors Manager assessment</li><li>Last updated: 9 October 2025</li></ul>]])

Instance: vm-status-category-f
InstanceOf: VmChargeableStatusObservation
Usage: #example
Title: "Status: chargeable, category F (OVM assessment)"
Description: "An Overseas Visitors Manager has assessed a visitor who lives outside the United Kingdom and the EEA, has not paid the surcharge and is not exempt: basic status Y, category F. This is the Observation in the example search response vm-search-response-found."
* insert StatusCommon(9990554331, 2025-11-03T14:20:00+00:00, 4)
* insert BasicStatus(Y, Chargeable)
* insert CategoryStatus(F, Chargeable non-EEA)
* insert SourceOvm
* insert Narrative([[<p>Chargeable status for NHS Number 999 055 4331</p><ul><li>Basic chargeable status: Y, Chargeable</li><li>Category: F, Chargeable non-EEA</li><li>Source: Overseas Visitors Manager assessment</li><li>Last updated: 3 November 2025</li></ul>]])

Instance: vm-status-decision-pending
InstanceOf: VmChargeableStatusObservation
Usage: #example
Title: "Status: unset, decision pending (OVM assessment)"
Description: "An Overseas Visitors Manager has started an assessment but not finished it: basic status U, category DECISION_PENDING. Treatment that is urgent or immediately necessary goes ahead meanwhile."
* insert StatusCommon(9990633525, 2025-11-12T16:48:00+00:00, 1)
* insert BasicStatus(U, Unset)
* insert CategoryStatus(DECISION_PENDING, Decision pending)
* insert SourceOvm
* insert Narrative([[<p>Chargeable status for NHS Number 999 063 3525</p><ul><li>Basic chargeable status: U, Unset</li><li>Category: DECISION_PENDING, Decision pending</li><li>Source: Overseas Visitors Manager assessment</li><li>Last updated: 12 November 2025</li></ul>]])

Instance: vm-status-none
InstanceOf: VmChargeableStatusObservation
Usage: #example
Title: "Status: unset, category NONE (Home Office feed)"
Description: "The Home Office feed reports that the patient has become a British citizen, which cancels the status recorded earlier: basic status U, category NONE."
* insert StatusCommon(9990712719, 2025-07-30T03:10:00+01:00, 5)
* insert BasicStatus(U, Unset)
* insert CategoryStatus(NONE, No status)
* insert SourceHomeOffice
* insert Narrative([[<p>Chargeable status for NHS Number 999 071 2719</p><ul><li>Basic chargeable status: U, Unset</li><li>Category: NONE, No status</li><li>Source: Home Office data feed</li><li>Last updated: 30 July 2025</li></ul>]])

Instance: vm-status-basic-only
InstanceOf: VmChargeableStatusObservation
Usage: #example
Title: "Status: chargeable, no category (Home Office feed)"
Description: "The Home Office feed has identified the patient as likely to be chargeable and no Overseas Visitors Manager has assessed them yet: basic status Y and no category component."
* insert StatusCommon(9990791902, 2025-05-27T01:30:00+01:00, 1)
* insert BasicStatus(Y, Chargeable)
* insert SourceHomeOffice
* insert Narrative([[<p>Chargeable status for NHS Number 999 079 1902</p><ul><li>Basic chargeable status: Y, Chargeable</li><li>Category: none recorded</li><li>Source: Home Office data feed</li><li>Last updated: 27 May 2025</li></ul>]])
