// Package accounts is sign-up, sign-in, password reset, profiles and
// personal preferences of community members.
package accounts

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"

	"plaza/hooks/languages"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
)

// Plaza ID rules (PRODUCT §1): 6–20 letters, digits, "_" or "-", starting
// with a letter. IDs are unique regardless of letter case.
var plazaIDPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{5,19}$`)

// Password length limits; bcrypt ignores bytes beyond 72.
const (
	PasswordMin = 8
	PasswordMax = 72
)

// Profile text limits, in characters.
const (
	NameMax      = 40
	RegionMax    = 60
	SignatureMax = 120
	PatSuffixMax = 20
)

// ValidatePlazaID returns a Problem when id breaks the Plaza ID rules.
func ValidatePlazaID(id string) error {
	if !plazaIDPattern.MatchString(id) {
		return problem.Invalid(FieldPlazaID, "auth.plaza_id_invalid", nil)
	}
	return nil
}

// SignUpInput is what a new member types on the sign-up form.
type SignUpInput struct {
	PlazaID    string
	Email      string
	Password   string
	InviteCode string
	Language   string // UI language at sign-up, kept as the member's setting
}

// SignUp creates a member, honouring the community's registration mode. With
// invite codes, the code's use is counted in the same transaction, with a
// conditional update so two sign-ups cannot share the last use.
func SignUp(app core.App, in SignUpInput) (*core.Record, error) {
	in.PlazaID = strings.TrimSpace(in.PlazaID)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.InviteCode = strings.TrimSpace(in.InviteCode)

	mode := settings.Get(app).RegistrationMode
	if mode == settings.RegistrationClosed {
		return nil, problem.New(http.StatusForbidden, "auth.registration_closed")
	}

	p := &problem.Problem{Status: http.StatusBadRequest}
	if !plazaIDPattern.MatchString(in.PlazaID) {
		p.Add(FieldPlazaID, "auth.plaza_id_invalid", nil)
	}
	if !validEmail(in.Email) {
		p.Add("email", "auth.email_invalid", nil)
	}
	checkPassword(p, "password", in.Password)
	if mode == settings.RegistrationInvite && in.InviteCode == "" {
		p.Add("invite", "auth.invite_required", nil)
	}
	if p.Has() {
		return nil, p
	}

	var created *core.Record
	err := app.RunInTransaction(func(txApp core.App) error {
		taken := &problem.Problem{Status: http.StatusConflict}
		if _, err := findByPlazaID(txApp, in.PlazaID); err == nil {
			taken.Add(FieldPlazaID, "auth.plaza_id_taken", nil)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := txApp.FindAuthRecordByEmail(Collection, in.Email); err == nil {
			taken.Add("email", "auth.email_taken", nil)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if taken.Has() {
			return taken
		}

		collection, err := txApp.FindCachedCollectionByNameOrId(Collection)
		if err != nil {
			return err
		}
		member := core.NewRecord(collection)
		member.Set(FieldPlazaID, in.PlazaID)
		member.Set(FieldName, in.PlazaID)
		member.SetEmail(in.Email)
		member.SetPassword(in.Password)
		if lang := languages.Supported(in.Language); lang != "" {
			member.Set(FieldLanguage, lang)
		}
		if mode == settings.RegistrationInvite {
			inviteID, err := useInvite(txApp, in.InviteCode)
			if err != nil {
				return err
			}
			member.Set(FieldInvite, inviteID)
		}
		if err := txApp.Save(member); err != nil {
			return fmt.Errorf("save new member: %w", err)
		}
		created = member
		return nil
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// useInvite counts one use of an invite code, refusing unknown, expired and
// used-up codes alike (the member does not learn which).
func useInvite(txApp core.App, code string) (string, error) {
	invalid := problem.Invalid("invite", "auth.invite_invalid", nil)
	var row struct {
		ID      string `db:"id"`
		Expires string `db:"expires"`
	}
	err := txApp.DB().NewQuery("SELECT id, expires FROM invite_codes WHERE code = {:code} COLLATE NOCASE LIMIT 1").
		Bind(dbx.Params{"code": code}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return "", invalid
	} else if err != nil {
		return "", fmt.Errorf("find invite code: %w", err)
	}
	if row.Expires != "" {
		if exp, err := types.ParseDateTime(row.Expires); err == nil && !exp.IsZero() && time.Now().After(exp.Time()) {
			return "", invalid
		}
	}
	res, err := txApp.DB().NewQuery("UPDATE invite_codes SET uses = uses + 1 WHERE id = {:id} AND uses < max_uses").
		Bind(dbx.Params{"id": row.ID}).Execute()
	if err != nil {
		return "", fmt.Errorf("use invite code: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return "", invalid
	}
	return row.ID, nil
}

// dummyHash makes a sign-in for an unknown account cost as much as one for
// a known account, so response times do not reveal who is a member.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("plaza-timing-equaliser"), bcrypt.DefaultCost)

// SignIn checks a Plaza ID (or email) and password. Every failure is the
// same Problem, so it does not reveal whether the account exists.
func SignIn(app core.App, identity, password string) (*core.Record, error) {
	identity = strings.TrimSpace(identity)
	wrong := problem.New(http.StatusBadRequest, "auth.wrong_credentials")
	if identity == "" || password == "" {
		return nil, wrong
	}
	var member *core.Record
	var err error
	if strings.Contains(identity, "@") {
		member, err = app.FindAuthRecordByEmail(Collection, strings.ToLower(identity))
	} else {
		member, err = findByPlazaID(app, identity)
	}
	if err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("find member: %w", err)
		}
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, wrong
	}
	if !member.ValidatePassword(password) {
		return nil, wrong
	}
	return member, nil
}

// FindByPlazaID finds a member by Plaza ID, ignoring letter case.
func FindByPlazaID(app core.App, id string) (*core.Record, error) {
	return findByPlazaID(app, id)
}

func findByPlazaID(app core.App, id string) (*core.Record, error) {
	member := &core.Record{}
	err := app.RecordQuery(Collection).
		AndWhere(dbx.NewExp("plaza_id = {:id} COLLATE NOCASE", dbx.Params{"id": id})).
		Limit(1).One(member)
	if err != nil {
		return nil, err
	}
	return member, nil
}

// RequestPasswordReset mails a reset link when email belongs to a member.
// It says nothing either way, so it cannot be used to probe for members.
func RequestPasswordReset(app core.App, email string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if !validEmail(email) {
		return problem.Invalid("email", "auth.email_invalid", nil)
	}
	member, err := app.FindAuthRecordByEmail(Collection, email)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("find member for reset: %w", err)
	}
	if err := mails.SendRecordPasswordReset(app, member); err != nil {
		return fmt.Errorf("send password reset mail: %w", err)
	}
	return nil
}

// CheckResetToken returns the member a password-reset token belongs to.
func CheckResetToken(app core.App, token string) (*core.Record, error) {
	member, err := app.FindAuthRecordByToken(token, core.TokenTypePasswordReset)
	if err != nil || member.Collection().Name != Collection {
		return nil, problem.New(http.StatusBadRequest, "auth.reset_invalid")
	}
	return member, nil
}

// ResetPassword sets a new password with a reset token. Changing the
// password rotates the member's token key, which signs out every session and
// voids the reset link itself.
func ResetPassword(app core.App, token, password string) (*core.Record, error) {
	member, err := CheckResetToken(app, token)
	if err != nil {
		return nil, err
	}
	p := &problem.Problem{Status: http.StatusBadRequest}
	checkPassword(p, "password", password)
	if p.Has() {
		return nil, p
	}
	member.SetPassword(password)
	member.SetVerified(true) // they proved they read the mailbox
	if err := app.Save(member); err != nil {
		return nil, fmt.Errorf("save new password: %w", err)
	}
	return member, nil
}

// SignOutEverywhere rotates the member's token key: every session and API
// token issued so far stops working.
func SignOutEverywhere(app core.App, member *core.Record) error {
	member.RefreshTokenKey()
	if err := app.Save(member); err != nil {
		return fmt.Errorf("rotate token key: %w", err)
	}
	return nil
}

func checkPassword(p *problem.Problem, field, password string) {
	switch {
	case utf8.RuneCountInString(password) < PasswordMin:
		p.Add(field, "auth.password_short", map[string]any{"min": PasswordMin})
	case len(password) > PasswordMax:
		p.Add(field, "auth.password_long", map[string]any{"max": PasswordMax})
	}
}

func checkLen(p *problem.Problem, field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		p.Add(field, "profile.too_long", map[string]any{"max": max})
	}
}

func validEmail(email string) bool {
	if email == "" || len(email) > 254 {
		return false
	}
	a, err := mail.ParseAddress(email)
	return err == nil && a.Address == email && strings.Contains(email, ".")
}

// Password confirmations: a signed-in member may be asked for their
// password again (to change the pay PIN without the old one). Each try
// counts against a per-member allowance like sign-in's (10 a minute), so a
// borrowed session cannot guess the password through such a form.
const (
	passwordTries  = 10
	passwordRefill = 6 * time.Second // one more try every 6 s: 10 a minute
)

type passwordLimiter struct {
	mu sync.Mutex
	m  map[string]*rate.Limiter
}

// PasswordOK checks a signed-in member's password for a form that asks for
// it again. Too many tries in a minute answer 429 (errors.too_many) without
// checking; a wrong password is (false, nil).
func PasswordOK(app core.App, member *core.Record, password string) (bool, error) {
	l := app.Store().GetOrSet("plaza.accounts.password_tries", func() any { return &passwordLimiter{m: map[string]*rate.Limiter{}} }).(*passwordLimiter)
	l.mu.Lock()
	if len(l.m) > 50_000 {
		l.m = map[string]*rate.Limiter{} // forget idle members now and then
	}
	lim, ok := l.m[member.Id]
	if !ok {
		lim = rate.NewLimiter(rate.Every(passwordRefill), passwordTries)
		l.m[member.Id] = lim
	}
	allowed := lim.Allow()
	l.mu.Unlock()
	if !allowed {
		return false, problem.New(http.StatusTooManyRequests, "errors.too_many")
	}
	return password != "" && member.ValidatePassword(password), nil
}
