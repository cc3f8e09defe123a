package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthAnswersOK(t *testing.T) {
	rec := httptest.NewRecorder()
	routes(newStore()).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /health = %d, want 200", rec.Code)
	}
}

func TestASessionCanBeCreatedOnce(t *testing.T) {
	mux := routes(newStore())
	for i, want := range []int{http.StatusCreated, http.StatusConflict} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/sessions", strings.NewReader(`{"name":"a"}`)))
		if rec.Code != want {
			t.Fatalf("POST %d = %d, want %d", i, rec.Code, want)
		}
	}
}
