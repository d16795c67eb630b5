// Package locales embeds the UI translations (one YAML file per language,
// keys grouped by screen). Every user-facing string has an entry in each.
package locales

import "embed"

// FS holds en.yaml and zh.yaml.
//
//go:embed *.yaml
var FS embed.FS
