// The programme's five development phases. The maturity-model page is generated from this
// CodeSystem (display = phase title, definition = what the phase delivers, property status).

CodeSystem: VmMaturityPhaseCS
Id: vm-maturity-phase
Title: "Visitors and Migrants Maturity Phase"
Description: "The five development phases of the Department of Health and Social Care cost-recovery programme that the Visitors and Migrants API belongs to. Each phase says what it delivers and whether it is delivered, the current focus, or planned. This guide covers phase 3."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* ^caseSensitive = true
* ^property[0].code = #status
* ^property[0].type = #code
* ^property[0].description = "Where the phase stands: delivered (in live use), current-focus (the phase this guide specifies) or planned (not started)."
* #1 "Home Office data feed" "A data feed from the Home Office to NHS Digital marks non-EEA patients as having paid, or been exempted from, the Immigration Health Surcharge; as likely to be chargeable; or as having become British citizens."
* #1 ^property[0].code = #status
* #1 ^property[0].valueCode = #delivered
* #2 "Overseas Visitors Manager assessments" "Authorised Overseas Visitors Managers record their assessment of a patient in the Summary Care Record application, with any EHIC and S1/S2 details and a chargeable-status category from A to F, and every trust can see it."
* #2 ^property[0].code = #status
* #2 ^property[0].valueCode = #delivered
* #3 "Chargeable-status API" "Accredited systems ask NHS Spine for a patient's chargeable-status indicator through a read-only FHIR API. The answer carries the basic chargeable status, the category chargeable status and the date of the latest Home Office or Overseas Visitors Manager update."
* #3 ^property[0].code = #status
* #3 ^property[0].valueCode = #current-focus
* #4 "More data feeds" "Further data feeds into NHS Digital supply a chargeable status for more patients."
* #4 ^property[0].code = #status
* #4 ^property[0].valueCode = #planned
* #5 "Secondary-care adoption" "Secondary-care systems change to read the indicator from the Spine API and use it in their workflows."
* #5 ^property[0].code = #status
* #5 ^property[0].valueCode = #planned
