package accounts

import "github.com/pocketbase/pocketbase/core"

// Register binds the hooks that guard member records (avatar uploads) and
// log mail when no mailer is set. The pages live in accountsweb.
func Register(app core.App) {
	guardAvatarUploads(app)
	logMailWithoutMailer(app)
}
