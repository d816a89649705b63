// Code systems and value sets carried by the chargeable-status Observation.

CodeSystem: VmBasicChargeableStatusCS
Id: vm-basic-chargeable-status
Title: "Basic Chargeable Status"
Description: "The basic chargeable-status indicator Spine holds for a patient: whether they are likely to be charged for NHS secondary care (Y), not chargeable (N), or unset (U)."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* ^caseSensitive = true
* #Y "Chargeable" "The patient is likely to be chargeable for NHS secondary-care services."
* #N "Not chargeable" "The patient is not expected to be charged: they have paid the Immigration Health Surcharge or are exempt from it."
* #U "Unset" "Neither the Home Office nor an Overseas Visitors Manager has supplied information from which a status can be decided."

ValueSet: VmBasicChargeableStatusVS
Id: vm-basic-chargeable-status
Title: "Basic Chargeable Status"
Description: "All basic chargeable-status codes: Y, N and U."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* include codes from system VmBasicChargeableStatusCS

CodeSystem: VmCategoryChargeableStatusCS
Id: vm-category-chargeable-status
Title: "Category Chargeable Status"
Description: "The chargeable-status categories an Overseas Visitors Manager can record (A to F), plus the two administrative values DECISION_PENDING and NONE. This is the Visitors and Migrants list; the national Overseas Visitor Charging Category (DCB3017) that followed it is mapped in the ConceptMap vm-category-to-ovcc."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* ^caseSensitive = true
* #A "Standard NHS" "The patient is ordinarily resident in the United Kingdom."
* #B "Surcharge payee (or exempt)" "The patient lives in the United Kingdom on a valid visa and has paid the Immigration Health Surcharge or is exempt from paying it."
* #C "Charge exempt (EHIC/PRC/S2)" "The patient is ordinarily resident in another EEA country and holds a European Health Insurance Card, a Provisional Replacement Certificate or an S2, or is otherwise exempt."
* #D "Chargeable EEA" "The patient is ordinarily resident in another EEA country, holds no EHIC, PRC or S2, and is not exempt."
* #E "Charge exempt overseas/non-EEA" "The patient is not ordinarily resident in the United Kingdom and has not paid the surcharge, but is exempt because of who they are or the treatment they receive."
* #F "Chargeable non-EEA" "The patient is ordinarily resident neither in the United Kingdom nor in another EEA country, has not paid the surcharge, and is not exempt."
* #DECISION_PENDING "Decision pending" "An assessment of the patient has started but no category has been decided yet."
* #NONE "No status" "No category applies. Sending NONE cancels a category recorded earlier for the patient."

ValueSet: VmCategoryChargeableStatusVS
Id: vm-category-chargeable-status
Title: "Category Chargeable Status"
Description: "All category chargeable-status codes: A to F, DECISION_PENDING and NONE."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* include codes from system VmCategoryChargeableStatusCS

CodeSystem: VmStatusSourceCS
Id: vm-status-source
Title: "Status Source"
Description: "Where a chargeable status came from. Every status in a response names its source, so that the person it describes, and the clinician or Overseas Visitors Manager reading it, can check it with the body that set it and challenge it if it is wrong."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* ^caseSensitive = true
* #HOME_OFFICE_FEED "Home Office data feed" "The status was set from the data feed the Home Office sends to NHS England about patients who have paid or are exempt from the Immigration Health Surcharge, who are likely to be chargeable, or who have become British citizens."
* #OVM_ASSESSMENT "Overseas Visitors Manager assessment" "The status was recorded by an authorised Overseas Visitors Manager at an NHS trust after assessing the patient."

ValueSet: VmStatusSourceVS
Id: vm-status-source
Title: "Status Source"
Description: "All status-source codes: the Home Office feed and an Overseas Visitors Manager assessment."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* include codes from system VmStatusSourceCS

CodeSystem: VmComponentCodeCS
Id: vm-component-code
Title: "Chargeable Status Component Code"
Description: "Codes that name the components of a chargeable-status Observation."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* ^caseSensitive = true
* #BASIC_CHARGEABLE_STATUS "Basic chargeable status" "The component carries the basic chargeable status (Y, N or U)."
* #CATEGORY_CHARGEABLE_STATUS "Category chargeable status" "The component carries the category chargeable status (A to F, DECISION_PENDING or NONE)."
* #STATUS_SOURCE "Status source" "The component says whether the status came from the Home Office feed or an Overseas Visitors Manager assessment."

ValueSet: VmComponentCodeVS
Id: vm-component-code
Title: "Chargeable Status Component Code"
Description: "All component codes of the chargeable-status Observation."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* include codes from system VmComponentCodeCS

CodeSystem: VmObservationCodeCS
Id: vm-observation-code
Title: "Visitors and Migrants Observation Code"
Description: "The code that identifies a Visitors and Migrants chargeable-status Observation. Clients search with it."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* ^caseSensitive = true
* #0001 "Visitors and Migrants status observation" "An Observation that carries a patient's overseas-visitor chargeable status as held on NHS Spine."

ValueSet: VmObservationCodeVS
Id: vm-observation-code
Title: "Visitors and Migrants Observation Code"
Description: "The single code of the chargeable-status Observation: 0001."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* include codes from system VmObservationCodeCS
