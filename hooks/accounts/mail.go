package accounts

import (
	"fmt"
	"os"
	"os/exec"

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
		to := ""
		for _, a := range e.Message.To {
			to += a.Address + " "
		}
		app.Logger().Warn("mail not sent (no SMTP configured); logged instead",
			"to", to, "subject", e.Message.Subject, "text", e.Message.Text)
		fmt.Fprintf(os.Stderr, "\n--- mail (no SMTP configured: set it in /_/ → Settings → Mail) ---\nTo: %s\nSubject: %s\n\n%s\n---\n",
			to, e.Message.Subject, e.Message.Text)
		return nil
	})
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
