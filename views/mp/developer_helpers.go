package mp

import (
	"github.com/a-h/templ"

	"plaza/views/layout"
)

// devErrorFor is the message of field name among errs ("" for none).
func devErrorFor(errs []layout.FieldError, name string) string {
	for _, e := range errs {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}

// devInvalid marks a control whose field has an error.
func devInvalid(name string, errs []layout.FieldError) templ.Attributes {
	if devErrorFor(errs, name) == "" {
		return templ.Attributes{}
	}
	return templ.Attributes{"aria-invalid": "true", "aria-describedby": "e-" + name}
}

// devStatusClass colours a version's status.
func devStatusClass(status string) string {
	switch status {
	case "approved":
		return "text-brand"
	case "rejected":
		return "text-danger"
	case "review":
		return "text-amber-700"
	}
	return "text-muted"
}
