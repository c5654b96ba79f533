"""The board report's sections: one file each, `parts` for what a section is made of, and
`registry` listing them in the report's order."""
