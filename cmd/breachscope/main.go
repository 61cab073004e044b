// Command breachscope finds which customers and fields an API abuse exposed,
// from access logs and customer tables, and writes the notification lists
// and the workbook counsel needs.
package main

import (
	"os"

	"github.com/breachscope/breachscope/cmd/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
