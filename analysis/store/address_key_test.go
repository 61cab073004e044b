package store

import (
	"context"
	"testing"
)

// TestAddressKeyField checks that bs_address's key is exactly
// bs_address_key of the same arguments (people read the key from
// bs_address so each address is standardised once), including a ZIP+4,
// a non-US postal code and an address without a first line.
func TestAddressKeyField(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Text(ctx, `WITH a(l1, l2, city, st, zip, co) AS (VALUES
		('1 main street', 'apt 4', 'Springfield', 'Illinois', '62701-1234', NULL),
		('12 Rue de la Paix', NULL, 'Paris', NULL, '75002', 'FR'),
		(NULL, NULL, 'Springfield', 'IL', '62701', NULL),
		('', 'unit 2', NULL, NULL, NULL, NULL))
	SELECT bs_address(l1, l2, city, st, zip, co, 'US').key IS NOT DISTINCT FROM bs_address_key(l1, l2, city, st, zip, co, 'US') AS same,
		bs_address(l1, l2, city, st, zip, co, 'US').key AS key
	FROM a`)
	if err != nil {
		t.Fatal(err)
	}
	want := "same\tkey\ntrue\t1 MAIN ST|APT 4|62701\ntrue\t12 RUE DE LA PAIX||75002\ntrue\tNULL\ntrue\tUNIT 2||\n"
	if got != want {
		t.Errorf("got %q want %q", got, want)
	}
}
