package ingest

import (
	"context"
	"fmt"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// joinIdentities fills the principal of src's requests that lack one from
// the identity source src.IdentityFrom names, ingesting that source first
// when the case file lists it later. Requests whose id names more than one
// principal there get none, and their count is a warning on their input.
func (in *ingester) joinIdentities(ctx context.Context, src casefile.LogSource, batch []*Input) error {
	var idSrc casefile.LogSource
	for _, l := range in.c.Logs {
		if l.Name == src.IdentityFrom.Source {
			idSrc = l
		}
	}
	if err := in.logs(ctx, idSrc); err != nil {
		return err
	}
	first, last := 0, 0
	for _, i := range in.inputs {
		if i.Kind == kindIdentity && i.Source == idSrc.Name {
			if first == 0 {
				first = i.ID
			}
			last = i.ID
		}
	}
	params := map[string]any{
		"first_input": batch[0].ID, "last_input": batch[len(batch)-1].ID,
		"identity_first": first, "identity_last": last,
	}
	if err := in.db.Script(ctx, "ingest_identity.sql", nil, params); err != nil {
		return fmt.Errorf("join log source %q with identities from %q: %w", src.Name, idSrc.Name, err)
	}
	conflicts, err := store.Counts[int](ctx, in.db, "SELECT input_id, requests FROM identity_conflicts")
	if err != nil {
		return err
	}
	for _, i := range batch {
		if n, ok := conflicts[i.ID]; ok {
			w := fmt.Sprintf("%d request(s) whose request id has more than one principal in source %q: left without principal", n, idSrc.Name)
			if i.Warning != "" {
				w = i.Warning + "; " + w
			}
			i.Warning = w
		}
	}
	return nil
}
