package search

import "time"

func unixDay(days int32) time.Time { return time.Unix(int64(days)*86400, 0).UTC() }
