//go:build !linux

package bench

import "time"

// Elsewhere the CPU figures are left out (zero).
func threadCPU() time.Duration  { return 0 }
func processCPU() time.Duration { return 0 }
