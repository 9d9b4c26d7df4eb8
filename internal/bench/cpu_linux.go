package bench

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU is the CPU time the calling OS thread has used; with the
// goroutine locked to its thread, the difference around a call is the
// call's own CPU time, which other processes on a busy machine do not
// inflate the way they inflate wall time. (getrusage counts in scheduler
// ticks of 4 ms here; the clock counts nanoseconds.)
func threadCPU() time.Duration { return clock(unix.CLOCK_THREAD_CPUTIME_ID) }

// processCPU is the CPU time of the whole process (all threads).
func processCPU() time.Duration { return clock(unix.CLOCK_PROCESS_CPUTIME_ID) }

func clock(id int32) time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(id, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
