// Package locales embeds the UI translations (one YAML file per language,
// keys grouped by screen). Every user-facing string has an entry in each.
//
// Plurals: a key whose value is a map of forms ("one", "other", optionally
// "zero") instead of a string is picked by its %{count} argument (the i18n
// library's plural rule; web.T chooses the form whenever the arguments hold
// an integer "count"). Chinese gives both forms the same text.
package locales

import "embed"

// FS holds en.yaml and zh.yaml.
//
//go:embed *.yaml
var FS embed.FS
