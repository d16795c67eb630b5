package miniprograms

import (
	"net/http"
	"slices"

	"plaza/hooks/problem"
)

// permitted checks that the app's released version asked, in its
// manifest, for perm (one of Permissions): 403 mp.permission_missing
// otherwise. The developer previewing their own app may use any.
func (s *Service) permitted(memberID string, a App, perm string) error {
	if a.Developer == memberID {
		return nil
	}
	v, err := versionOf(s.app, a, a.Released)
	if err != nil {
		return err
	}
	if !slices.Contains(v.Perms, perm) {
		return problem.New(http.StatusForbidden, "mp.permission_missing")
	}
	return nil
}

// Permitted is permitted for the web layer (the profile route).
func (s *Service) Permitted(memberID string, a App, perm string) error {
	return s.permitted(memberID, a, perm)
}
