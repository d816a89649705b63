// The national Overseas Visitor Charging Category (NHS information standard DCB3017) and the map
// from the Visitors and Migrants category list to it.

CodeSystem: OverseasVisitorChargingCategoryCS
Id: overseas-visitor-charging-category
Title: "Overseas Visitor Charging Category (DCB3017)"
Description: "The national Overseas Visitor Charging Category codes fixed by the NHS information standard DCB3017. They are reproduced here so the Visitors and Migrants category list can be mapped to them; this guide does not send them in its responses."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* ^caseSensitive = true
* #A "Standard NHS-funded patient" "The patient is entitled to NHS-funded care without charge because they are ordinarily resident in the United Kingdom."
* #B "Immigration Health Surcharge payee" "The patient has paid the Immigration Health Surcharge, or is exempt from it, as part of their immigration application."
* #C "Charge-exempt overseas visitor (EEA)" "The patient is an overseas visitor from the EEA who is exempt from charges."
* #D "Chargeable EEA patient" "The patient is an overseas visitor from the EEA who is liable to be charged."
* #E "Charge-exempt overseas visitor (non-EEA)" "The patient is an overseas visitor from outside the EEA who is exempt from charges."
* #F "Chargeable non-EEA patient" "The patient is an overseas visitor from outside the EEA who is liable to be charged."
* #P "Decision pending" "Whether the patient is chargeable has not yet been decided."
* #9 "Not known" "The patient's charging category is not known."

ValueSet: OverseasVisitorChargingCategoryVS
Id: overseas-visitor-charging-category
Title: "Overseas Visitor Charging Category (DCB3017)"
Description: "All Overseas Visitor Charging Category codes of DCB3017: A to F, P and 9."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* include codes from system OverseasVisitorChargingCategoryCS

Instance: vm-category-to-ovcc
InstanceOf: ConceptMap
Usage: #definition
Title: "Visitors and Migrants category to Overseas Visitor Charging Category"
Description: "Maps each Visitors and Migrants category chargeable-status code to the national Overseas Visitor Charging Category (DCB3017), so that systems which report OVCC can derive it from the status read from Spine."
* url = "https://fhir.nhs.uk/vm/ConceptMap/vm-category-to-ovcc"
* name = "VmCategoryToOvcc"
* title = "Visitors and Migrants category to Overseas Visitor Charging Category"
* status = #draft
* insert MaturityOfInstance(1)
* experimental = false
* description = "Maps each Visitors and Migrants category chargeable-status code to the national Overseas Visitor Charging Category (DCB3017), so that systems which report OVCC can derive it from the status read from Spine. Categories A to F keep their letters; DECISION_PENDING becomes P; NONE, which cancels an earlier status, becomes 9 (not known)."
* insert Narrative([[<p>Visitors and Migrants category to Overseas Visitor Charging Category (DCB3017)</p><table><tr><th>V&amp;M category</th><th>OVCC</th><th>Equivalence</th></tr><tr><td>A</td><td>A</td><td>equivalent</td></tr><tr><td>B</td><td>B</td><td>equivalent</td></tr><tr><td>C</td><td>C</td><td>equivalent</td></tr><tr><td>D</td><td>D</td><td>equivalent</td></tr><tr><td>E</td><td>E</td><td>equivalent</td></tr><tr><td>F</td><td>F</td><td>equivalent</td></tr><tr><td>DECISION_PENDING</td><td>P</td><td>equivalent</td></tr><tr><td>NONE</td><td>9</td><td>wider</td></tr></table>]])
* sourceCanonical = Canonical(VmCategoryChargeableStatusVS)
* targetCanonical = Canonical(OverseasVisitorChargingCategoryVS)
* group[0].source = $VmCategoryCS
* group[0].target = $OvccCS
* group[0].element[0].code = #A
* group[0].element[0].display = "Standard NHS"
* group[0].element[0].target[0].code = #A
* group[0].element[0].target[0].display = "Standard NHS-funded patient"
* group[0].element[0].target[0].equivalence = #equivalent
* group[0].element[1].code = #B
* group[0].element[1].display = "Surcharge payee (or exempt)"
* group[0].element[1].target[0].code = #B
* group[0].element[1].target[0].display = "Immigration Health Surcharge payee"
* group[0].element[1].target[0].equivalence = #equivalent
* group[0].element[1].target[0].comment = "Both codes cover patients who paid the surcharge and those exempt from it."
* group[0].element[2].code = #C
* group[0].element[2].display = "Charge exempt (EHIC/PRC/S2)"
* group[0].element[2].target[0].code = #C
* group[0].element[2].target[0].display = "Charge-exempt overseas visitor (EEA)"
* group[0].element[2].target[0].equivalence = #equivalent
* group[0].element[3].code = #D
* group[0].element[3].display = "Chargeable EEA"
* group[0].element[3].target[0].code = #D
* group[0].element[3].target[0].display = "Chargeable EEA patient"
* group[0].element[3].target[0].equivalence = #equivalent
* group[0].element[4].code = #E
* group[0].element[4].display = "Charge exempt overseas/non-EEA"
* group[0].element[4].target[0].code = #E
* group[0].element[4].target[0].display = "Charge-exempt overseas visitor (non-EEA)"
* group[0].element[4].target[0].equivalence = #equivalent
* group[0].element[5].code = #F
* group[0].element[5].display = "Chargeable non-EEA"
* group[0].element[5].target[0].code = #F
* group[0].element[5].target[0].display = "Chargeable non-EEA patient"
* group[0].element[5].target[0].equivalence = #equivalent
* group[0].element[6].code = #DECISION_PENDING
* group[0].element[6].display = "Decision pending"
* group[0].element[6].target[0].code = #P
* group[0].element[6].target[0].display = "Decision pending"
* group[0].element[6].target[0].equivalence = #equivalent
* group[0].element[7].code = #NONE
* group[0].element[7].display = "No status"
* group[0].element[7].target[0].code = #9
* group[0].element[7].target[0].display = "Not known"
* group[0].element[7].target[0].equivalence = #wider
* group[0].element[7].target[0].comment = "NONE says that no category applies any longer; OVCC has no such value, so the nearest national code is 9 (not known), which is wider in meaning."
