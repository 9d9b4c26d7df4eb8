// Command isa is the ISA Partner Database: server, import and export,
// search and matching. All the work is done in internal/app.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/isa-alliance/isa/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
