package accounts

import (
	"fmt"
	stdhtml "html"
	"os"
	"os/exec"
	"regexp"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// logMailWithoutMailer makes password-reset mail usable on a fresh install:
// when no SMTP server is configured and the machine has no sendmail, the
// message is written to the log (and stderr) instead of failing. An admin
// configures SMTP in /_/ → Settings → Mail settings for real delivery.
func logMailWithoutMailer(app core.App) {
	app.OnMailerSend().BindFunc(func(e *core.MailerEvent) error {
		if _, isSendmail := e.Mailer.(*mailer.Sendmail); !isSendmail || hasSendmail() {
			return e.Next()
		}
		to := make([]string, 0, len(e.Message.To))
		for _, a := range e.Message.To {
			to = append(to, a.Address)
		}
		links := mailLinks(e.Message.HTML)
		app.Logger().Warn("mail not sent (no SMTP configured); logged instead",
			"to", strings.Join(to, ", "), "subject", e.Message.Subject, "links", links)
		fmt.Fprintf(os.Stderr, "\n--- mail not sent: no SMTP configured (/_/ → Settings → Mail settings) ---\nTo: %s\nSubject: %s\nLinks: %s\n---\n",
			strings.Join(to, ", "), e.Message.Subject, strings.Join(links, " "))
		return nil
	})
}

var hrefPattern = regexp.MustCompile(`href="([^"]+)"`)

// mailLinks lists the links of an HTML mail: what the reader must act on.
func mailLinks(html string) []string {
	var out []string
	for _, m := range hrefPattern.FindAllStringSubmatch(html, -1) {
		out = append(out, stdhtml.UnescapeString(m[1]))
	}
	return out
}

func hasSendmail() bool {
	for _, p := range []string{"/usr/sbin/sendmail", "/usr/bin/sendmail"} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	_, err := exec.LookPath("sendmail")
	return err == nil
}
