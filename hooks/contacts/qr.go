package contacts

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/links"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
)

// Signer returns the signer of the community's QR-code links, keyed by the
// secret kept in the settings row.
func Signer(app core.App) (*links.Signer, error) {
	key, err := hex.DecodeString(settings.Get(app).LinkSecret)
	if err != nil {
		return nil, fmt.Errorf("link secret: %w", err)
	}
	return links.NewSigner(key)
}

// AddLink is the member's add-me link (a path; prefix the site's URL for
// the QR code). It never expires; resetting the code voids it.
func AddLink(app core.App, member *core.Record) (string, error) {
	s, err := Signer(app)
	if err != nil {
		return "", err
	}
	return s.Path(links.Link{
		Kind:   links.KindAddFriend,
		Target: accounts.AsMember(member).PlazaID(),
		Epoch:  int64(member.GetInt(FieldQREpoch)),
	})
}

// ResetQR voids every add-me code the member has shown so far.
func (s *Service) ResetQR(member *core.Record) error {
	member.Set(FieldQREpoch, member.GetInt(FieldQREpoch)+1)
	if err := s.app.Save(member); err != nil {
		return fmt.Errorf("reset qr code: %w", err)
	}
	return nil
}

// ScanProblem translates a links error into what the member is told.
func ScanProblem(err error) error {
	switch {
	case errors.Is(err, links.ErrForeign):
		return problem.New(http.StatusBadRequest, "scan.foreign")
	case errors.Is(err, links.ErrExpired):
		return problem.New(http.StatusBadRequest, "scan.expired")
	case errors.Is(err, links.ErrRevoked):
		return problem.New(http.StatusBadRequest, "scan.revoked")
	case errors.Is(err, links.ErrTampered):
		return problem.New(http.StatusBadRequest, "scan.tampered")
	}
	return err
}

// ParseOwn verifies a signed link of this server: a bare path, or a full
// URL on one of hosts (the request's) or the Application URL's host. Any
// other host is links.ErrForeign however well signed, and with no host
// known at all only a path is taken (links.Signer.Parse alone would take any
// host); now is the reading domain's clock for the expiry. Every reader of
// scanned or pasted links goes through it.
func ParseOwn(app core.App, raw string, now time.Time, hosts ...string) (links.Link, error) {
	s, err := Signer(app)
	if err != nil {
		return links.Link{}, err
	}
	if u, err := url.Parse(app.Settings().Meta.AppURL); err == nil && u.Host != "" {
		hosts = append(hosts, u.Host)
	}
	if len(hosts) == 0 && !strings.HasPrefix(strings.TrimSpace(raw), "/") {
		return links.Link{}, links.ErrForeign
	}
	return s.Parse(raw, now, hosts...)
}

// VerifyAddLink checks a scanned add-me link (a URL on one of hosts, or a
// bare path) and returns the member it adds: the signature must hold, the
// code must be current (not reset) and the member must allow being added by
// QR code.
func (s *Service) VerifyAddLink(raw string, hosts ...string) (*core.Record, error) {
	l, err := ParseOwn(s.app, raw, s.Now(), hosts...)
	if err != nil {
		return nil, ScanProblem(err)
	}
	if l.Kind != links.KindAddFriend {
		return nil, problem.New(http.StatusBadRequest, "scan.unsupported")
	}
	member, err := accounts.FindByPlazaID(s.app, l.Target)
	if err != nil || int64(member.GetInt(FieldQREpoch)) != l.Epoch {
		return nil, ScanProblem(links.ErrRevoked)
	}
	if member.GetBool(FieldNoFindByQR) {
		return nil, problem.New(http.StatusForbidden, "contacts.not_allowed")
	}
	return member, nil
}

// Scan reads a code the Scan page decoded and returns the page it opens.
// Only links of this Plaza count (its Application URL or host, the host
// the page came from), of a kind a module opens (module.Registry.AddScanKind);
// a refused code is a problem.Problem to show on the Scan page.
func (s *Service) Scan(code, host string) (string, error) {
	l, err := ParseOwn(s.app, strings.TrimSpace(code), s.Now(), host)
	if err != nil {
		return "", ScanProblem(err)
	}
	if !s.reg.Scannable(l.Kind) {
		return "", problem.New(http.StatusBadRequest, "scan.unsupported")
	}
	signer, err := Signer(s.app)
	if err != nil {
		return "", err
	}
	return signer.Path(l)
}
