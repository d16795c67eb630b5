// Package demo seeds a living demo community: `plaza demo`. Seeding is
// idempotent: what exists is left alone, so running it twice duplicates
// nothing. Later modules add their own demo data here.
package demo

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/big"
	"text/tabwriter"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/spf13/cobra"

	"plaza/hooks/accounts"
	"plaza/hooks/channels"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/miniprograms"
	"plaza/hooks/moments"
	"plaza/hooks/oa"
	"plaza/hooks/wallet"
)

// Person is one demo member's profile.
type Person struct {
	PlazaID, Name, Region, Signature, Pat string
}

// People are the demo community's members: English and Chinese names, so
// sorting and search can be tried with both.
var People = []Person{
	{"alice_w", "Alice Wang", "Shanghai", "Coffee first, then code.", "and said hi"},
	{"bob_chen", "Bob Chen", "Beijing", "Cycling every weekend.", "on the shoulder"},
	{"li_lei", "李雷", "广东 深圳", "好好学习，天天向上", "的肩膀"},
	{"han_meimei", "韩梅梅", "浙江 杭州", "喜欢读书和爬山", "的小脑袋"},
	{"carol_z", "Carol Zhang", "Chengdu", "Hotpot enthusiast.", ""},
	{"david_l", "David Liu", "Wuhan", "Photographer.", "twice"},
	{"wang_fang", "王芳", "北京", "今天也要开心", ""},
	{"zhao_qiang", "赵强", "山东 青岛", "跑步中…", "的背"},
	{"emma_h", "Emma Huang", "Hong Kong", "Learning Mandarin, slowly.", ""},
	{"frank_x", "Frank Xu", "Nanjing", "Board games on Fridays.", "gently"},
	{"sun_li", "孙丽", "江苏 苏州", "园艺爱好者", ""},
	{"zhou_jie", "周杰", "台湾 台北", "音乐是生活", "的吉他"},
	{"grace_y", "Grace Yang", "Xi'an", "History nerd.", ""},
	{"henry_g", "Henry Guo", "Tianjin", "Dad of two.", "on the head"},
	{"wu_min", "吴敏", "湖南 长沙", "爱吃辣", ""},
	{"zheng_hao", "郑浩", "福建 厦门", "海边长大的孩子", "的手"},
	{"ivy_tang", "Ivy Tang", "Kunming", "Tea and flowers.", ""},
	{"jack_m", "Jack Ma", "Hangzhou", "Community organiser.", "with a smile"},
	{"chen_jing", "陈静", "重庆", "安静地生活", ""},
	{"lin_tao", "林涛", "广西 桂林", "山水之间", "的肩"},
}

// Seeded reports what happened to one demo member.
type Seeded struct {
	Person
	Email    string
	Password string // set only when created or reset now: printed once, never stored in clear
	Created  bool
}

// Options change what Seed does.
type Options struct {
	ResetPasswords bool // give existing demo members new passwords
}

// Email is the demo member's email address.
func Email(plazaID string) string { return plazaID + "@demo.plaza.local" }

// Services are the app's domain services (hooks.Register builds them);
// the demo seeds through their operations, as members would.
type Services struct {
	Contacts *contacts.Service
	Chat     *chat.Service
	Wallet   *wallet.Wallet
	Moments  *moments.Service
	Channels *channels.Service
	OA       *oa.Service
	MP       *miniprograms.Service
}

// Seed creates the demo community: members with generated avatars, their
// friendships, tags, pending friend requests, 1:1 chats and three group
// chats with a few hundred messages of history, the wallet's balances,
// PINs, red packets and a transfer, Moments (posts with drawn photos,
// likes and comments), three Channels with photo and video posts,
// followers, likes, views and comments, and two Official Accounts (a
// subscription and a service account) with articles, menus, keyword
// replies, followers and chats, and two mini programs (the Corner Café,
// which takes payment, and the Community Poll) released in the directory
// with their servers' secrets stored; safe to run twice.
func Seed(app core.App, svc Services, opts Options) ([]Seeded, error) {
	out := make([]Seeded, 0, len(People))
	for _, p := range People {
		s, err := seedMember(app, p, opts)
		if err != nil {
			return out, fmt.Errorf("demo member %s: %w", p.PlazaID, err)
		}
		out = append(out, s)
	}
	if _, err := seedContacts(app, svc.Contacts); err != nil {
		return out, fmt.Errorf("demo contacts: %w", err)
	}
	if err := seedChats(app, svc.Chat); err != nil {
		return out, fmt.Errorf("demo chats: %w", err)
	}
	if err := seedGroups(app, svc.Chat); err != nil {
		return out, fmt.Errorf("demo groups: %w", err)
	}
	if err := seedWallet(app, svc.Wallet); err != nil {
		return out, fmt.Errorf("demo wallet: %w", err)
	}
	if err := seedMoments(app, svc.Moments); err != nil {
		return out, fmt.Errorf("demo moments: %w", err)
	}
	if err := seedChannels(app, svc.Channels); err != nil {
		return out, fmt.Errorf("demo channels: %w", err)
	}
	if err := seedOA(app, svc.OA, svc.Chat); err != nil {
		return out, fmt.Errorf("demo official accounts: %w", err)
	}
	if err := SeedMiniPrograms(app, svc.MP); err != nil {
		return out, fmt.Errorf("demo mini programs: %w", err)
	}
	return out, nil
}

func seedMember(app core.App, p Person, opts Options) (Seeded, error) {
	s := Seeded{Person: p, Email: Email(p.PlazaID)}
	existing, err := accounts.FindByPlazaID(app, p.PlazaID)
	if err == nil {
		if opts.ResetPasswords {
			s.Password = newPassword()
			existing.SetPassword(s.Password)
			if err := app.Save(existing); err != nil {
				return s, err
			}
		}
		return s, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return s, err
	}

	s.Password = newPassword()
	collection, err := app.FindCachedCollectionByNameOrId(accounts.Collection)
	if err != nil {
		return s, err
	}
	member := core.NewRecord(collection)
	member.Set(accounts.FieldPlazaID, p.PlazaID)
	member.Set(accounts.FieldName, p.Name)
	member.Set(accounts.FieldRegion, p.Region)
	member.Set(accounts.FieldSignature, p.Signature)
	member.Set(accounts.FieldPat, p.Pat)
	member.SetEmail(s.Email)
	member.SetVerified(true)
	member.SetPassword(s.Password)
	png, err := Identicon(p.PlazaID)
	if err != nil {
		return s, err
	}
	f, err := filesystem.NewFileFromBytes(png, p.PlazaID+".png")
	if err != nil {
		return s, err
	}
	member.Set(accounts.FieldAvatar, f)
	if err := app.Save(member); err != nil {
		return s, err
	}
	s.Created = true
	return s, nil
}

// newPassword returns a random 12-character password without look-alikes.
func newPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679"
	b := make([]byte, 12)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}

// Command is `plaza demo`.
func Command(app core.App, svc Services) *cobra.Command {
	var opts Options
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Seed a demo community (members with avatars and profiles); safe to run twice",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			seeded, err := Seed(app, svc, opts)
			Print(cmd.OutOrStdout(), seeded)
			return err
		},
	}
	cmd.Flags().BoolVar(&opts.ResetPasswords, "reset-passwords", false, "give existing demo members new passwords (printed once)")
	return cmd
}

// Print writes the seeding report: sign-in details for members created (or
// reset) now; passwords are shown this once only.
func Print(w io.Writer, seeded []Seeded) {
	created, printed := 0, false
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "PLAZA ID\tNAME\tEMAIL\tPASSWORD")
	for _, s := range seeded {
		pw := "(unchanged: printed when first created; use --reset-passwords)"
		if s.Password != "" {
			pw, printed = s.Password, true
		}
		if s.Created {
			created++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.PlazaID, s.Name, s.Email, pw)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d demo members created, %d already there. Start the server (plaza serve) and sign in at http://127.0.0.1:8090/login with a Plaza ID and its password.\n",
		created, len(seeded)-created)
	fmt.Fprintf(w, "Every demo member's wallet holds credits and their pay PIN is %s.\n", DemoPIN)
	if printed {
		fmt.Fprintln(w, "Passwords are printed only this once; keep them.")
	}
}
