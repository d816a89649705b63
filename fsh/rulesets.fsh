// Rule sets shared by the profiles.

// Prohibits an element (0..0) and says why, in short and definition.
RuleSet: NotSent(path, short, why)
* {path} 0..0
* {path} ^short = "{short}"
* {path} ^definition = "{why}"
