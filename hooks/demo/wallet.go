package demo

import (
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/wallet"
)

// DemoPIN is every demo member's pay PIN (printed by `plaza demo`).
const DemoPIN = "123456"

// demoBalance is what each demo member starts with (¥500.00).
const demoBalance = 500_00

const demoMintNote = "demo starting balance"

// seedWallet gives every demo member a balance and a pay PIN, and puts a
// finished and an open red packet in "Weekend riders" and a pending
// transfer from Alice to Bob, paid with the demo PIN like any payment.
// Idempotency keys make a second run a no-op (a key is looked up before the
// PIN is checked).
func seedWallet(app core.App, w *wallet.Wallet) error {
	ids := map[string]string{}
	for _, p := range People {
		m, err := accounts.FindByPlazaID(app, p.PlazaID)
		if err != nil {
			return err
		}
		ids[p.PlazaID] = m.Id
		if minted, err := wallet.Minted(app, m.Id, demoMintNote); err != nil {
			return err
		} else if !minted {
			if _, err := wallet.Mint(app, p.PlazaID, demoBalance, demoMintNote); err != nil {
				return err
			}
		}
		if has, err := w.HasPIN(m.Id); err != nil {
			return err
		} else if !has {
			if err := w.SetPIN(m.Id, DemoPIN); err != nil {
				return err
			}
		}
	}
	riders, err := ridersGroup(app, ids["alice_w"])
	if err != nil {
		return err
	}
	done, err := w.SendPacket(ids["alice_w"], "demo-packet-finished", wallet.PacketInput{Conversation: riders, Kind: wallet.PacketLucky,
		Amount: 8_88, Count: 3, Greeting: "Great ride, everyone! 🚴"}, wallet.WithPIN(DemoPIN))
	if err != nil {
		return fmt.Errorf("demo red packet: %w", err)
	}
	for _, who := range []string{"bob_chen", "carol_z", "emma_h"} {
		if _, err := w.ClaimPacket(ids[who], done.ID); err != nil {
			return fmt.Errorf("demo claim: %w", err)
		}
	}
	open, err := w.SendPacket(ids["alice_w"], "demo-packet-open", wallet.PacketInput{Conversation: riders, Kind: wallet.PacketLucky,
		Amount: 20_00, Count: 4, Greeting: "Coffee on me this Saturday ☕"}, wallet.WithPIN(DemoPIN))
	if err != nil {
		return fmt.Errorf("demo red packet: %w", err)
	}
	if _, err := w.ClaimPacket(ids["bob_chen"], open.ID); err != nil {
		return fmt.Errorf("demo claim: %w", err)
	}
	direct, err := chat.OpenDirect(app, ids["alice_w"], ids["bob_chen"])
	if err != nil {
		return err
	}
	if _, err := w.SendTransfer(ids["alice_w"], "demo-transfer-pending", wallet.TransferInput{Conversation: direct, Amount: 52_00, Note: "Bike repair, thanks!"}, wallet.WithPIN(DemoPIN)); err != nil {
		return fmt.Errorf("demo transfer: %w", err)
	}
	return nil
}

// ridersGroup finds "Weekend riders", the demo group Alice owns, in her
// chat list (seedGroups made it).
func ridersGroup(app core.App, aliceID string) (string, error) {
	chats, err := chat.List(app, aliceID)
	if err != nil {
		return "", err
	}
	for _, c := range chats {
		if c.Kind == chat.KindGroup && c.Name == demoGroups[0].name {
			return c.ID, nil
		}
	}
	return "", errors.New("find the riders group: not among alice_w's chats")
}
