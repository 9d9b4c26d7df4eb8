package storage

import (
	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/cities"
)

// memberCities is the list Migrate seeds: the member cities compiled into
// the binary by package cities.
func memberCities() []isa.City { return cities.All() }
