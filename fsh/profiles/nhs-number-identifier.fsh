Profile: VmNhsNumberIdentifier
Parent: Identifier
Id: vm-nhs-number-identifier
Title: "NHS Number Identifier"
Description: "An NHS Number, the identifier that links a chargeable status to a patient. Every Patient reference in this guide uses it. The system is fixed and the value must be ten digits whose last digit is a valid modulus 11 check digit (invariants vm-nhs-number-1 and vm-nhs-number-2), so that a mistyped number is caught before it can return, or attach, another person's status. Examples and test data use numbers from the 999 test range only."
* ^status = #draft
* insert Maturity(1)
* ^experimental = false
* obeys vm-nhs-number-1 and vm-nhs-number-2
* use 0..0
* use ^short = "Not used: an NHS Number has no use other than official"
* use ^definition = "Not used. An NHS Number is always the patient's official national identifier, so the use code would add nothing."
* type 0..0
* type ^short = "Not used: the system already says this is an NHS Number"
* type ^definition = "Not used. The fixed system URI already says the identifier is an NHS Number."
* system 1..1
* system = $NHSNumber (exactly)
* system ^short = "Always https://fhir.nhs.uk/Id/nhs-number"
* system ^definition = "The NHS Number namespace. Fixed, so that no other identifier can stand in for the NHS Number when a status is looked up."
* value 1..1
* value ^short = "Ten-digit NHS Number with a valid check digit"
* value ^definition = "The NHS Number: ten digits, no spaces, the tenth a modulus 11 check digit. A number that fails the check is refused (INVALID_NHS_NUMBER) rather than risk matching another patient."
* period 0..0
* period ^short = "Not used: an NHS Number does not expire"
* period ^definition = "Not used. An NHS Number stays with the patient for life."
* assigner 0..0
* assigner ^short = "Not used: NHS Numbers are issued nationally"
* assigner ^definition = "Not used. NHS Numbers are issued by the national NHS number service, which the system URI already implies."
* system MS
* value MS
