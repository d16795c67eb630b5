package wallet

import (
	"errors"
	"fmt"
	"os"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// ErrViolations is returned by `plaza wallet verify` when an invariant does
// not hold, so the command exits non-zero.
var ErrViolations = errors.New("wallet: invariants violated")

// exitOnError makes a failed command end the process with status 1:
// PocketBase's Execute ignores command errors, and scripts (and the crash
// test) rely on the exit status.
func exitOnError(run func(cmd *cobra.Command, args []string) error) func(cmd *cobra.Command, args []string) {
	return func(cmd *cobra.Command, args []string) {
		if err := run(cmd, args); err != nil {
			fmt.Fprintln(cmd.ErrOrStderr(), "Error:", err)
			os.Exit(1)
		}
	}
}

// Command is `plaza wallet`: verify the ledger and mint credits.
func Command(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "wallet", Short: "Check the wallet ledger and issue credits"}
	root.AddCommand(&cobra.Command{
		Use:   "verify",
		Short: "Recompute every balance from the journal and check every invariant (exit status 1 on any violation)",
		Args:  cobra.NoArgs,
		Run: exitOnError(func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			r, err := Verify(app)
			if err != nil {
				return err
			}
			fmt.Fprint(cmd.OutOrStdout(), r.String())
			if !r.OK() {
				return ErrViolations
			}
			return nil
		}),
	})
	var note string
	mint := &cobra.Command{
		Use:   "mint <plazaID> <amount>",
		Short: "Issue credits from the treasury to a member (amount like 100 or 12.50)",
		Args:  cobra.ExactArgs(2),
		Run: exitOnError(func(cmd *cobra.Command, args []string) error {
			amount, err := ParseAmount(args[1])
			if err != nil {
				return err
			}
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			rec, err := Mint(app, args[0], amount, note)
			if err != nil {
				return err
			}
			b, err := Balance(app, rec.GetString("member"))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "minted %s to %s (mint %s); balance now %s\n", FormatAmount(amount), args[0], rec.Id, FormatAmount(b))
			return nil
		}),
	}
	mint.Flags().StringVar(&note, "note", "", "why (kept in the journal)")
	root.AddCommand(mint)
	return root
}
