package storage

import (
	"context"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
)

// Methods of *DB for the accounts store: each on a fresh conn, writes in a
// transaction of their own.

func (db *DB) CreateUser(ctx context.Context, u *accounts.User) error {
	return db.reader().CreateUser(ctx, u)
}
func (db *DB) UserByID(ctx context.Context, id int64) (*accounts.User, error) {
	return db.reader().UserByID(ctx, id)
}
func (db *DB) UserByEmail(ctx context.Context, email string) (*accounts.User, error) {
	return db.reader().UserByEmail(ctx, email)
}
func (db *DB) Users(ctx context.Context, after int64, limit int) ([]accounts.User, error) {
	return db.reader().Users(ctx, after, limit)
}
func (db *DB) UpdateUser(ctx context.Context, u *accounts.User) error {
	return db.reader().UpdateUser(ctx, u)
}
func (db *DB) TouchLogin(ctx context.Context, userID int64, at time.Time) error {
	return db.reader().TouchLogin(ctx, userID, at)
}
func (db *DB) CreateSession(ctx context.Context, tokenHash string, s accounts.Session) error {
	return db.reader().CreateSession(ctx, tokenHash, s)
}
func (db *DB) SessionByHash(ctx context.Context, tokenHash string) (*accounts.Session, error) {
	return db.reader().SessionByHash(ctx, tokenHash)
}
func (db *DB) TouchSession(ctx context.Context, tokenHash string, lastSeen, expires time.Time) error {
	return db.reader().TouchSession(ctx, tokenHash, lastSeen, expires)
}
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.reader().DeleteSession(ctx, tokenHash)
}
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	return db.reader().DeleteUserSessions(ctx, userID)
}
func (db *DB) DeleteExpiredSessions(ctx context.Context, before time.Time) (int, error) {
	return db.reader().DeleteExpiredSessions(ctx, before)
}
func (db *DB) CreateAPIToken(ctx context.Context, tokenHash string, t *accounts.APIToken) error {
	return db.reader().CreateAPIToken(ctx, tokenHash, t)
}
func (db *DB) APITokenByHash(ctx context.Context, tokenHash string) (*accounts.APIToken, error) {
	return db.reader().APITokenByHash(ctx, tokenHash)
}
func (db *DB) APITokens(ctx context.Context, userID int64) ([]accounts.APIToken, error) {
	return db.reader().APITokens(ctx, userID)
}
func (db *DB) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	return db.reader().DeleteAPIToken(ctx, userID, id)
}
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	return db.reader().TouchAPIToken(ctx, id, at)
}
func (db *DB) CreateAccountToken(ctx context.Context, tokenHash string, userID int64, purpose string, expires time.Time) error {
	return db.reader().CreateAccountToken(ctx, tokenHash, userID, purpose, expires)
}
func (db *DB) UseAccountToken(ctx context.Context, tokenHash, purpose string, at time.Time) (int64, error) {
	return db.reader().UseAccountToken(ctx, tokenHash, purpose, at)
}
func (db *DB) AddLoginFailure(ctx context.Context, key string, at time.Time) error {
	return db.reader().AddLoginFailure(ctx, key, at)
}
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	return db.reader().LoginFailures(ctx, key, since)
}
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.reader().ClearLoginFailures(ctx, key)
}
func (db *DB) AddReview(ctx context.Context, r *accounts.Review) error {
	return db.reader().AddReview(ctx, r)
}
func (db *DB) LatestReviews(ctx context.Context, orgID int64) ([]accounts.Review, error) {
	return db.reader().LatestReviews(ctx, orgID)
}
func (db *DB) UnverifiedOrganisations(ctx context.Context, city string, limit int) ([]string, error) {
	return db.reader().UnverifiedOrganisations(ctx, city, limit)
}
func (db *DB) AddCity(ctx context.Context, city isa.City) error {
	return db.reader().AddCity(ctx, city)
}
