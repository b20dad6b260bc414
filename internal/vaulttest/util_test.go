package vaulttest

import (
	"strconv"
	"testing"

	"github.com/hashicorp/vault/api"
	"github.com/stretchr/testify/require"
)

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

func itoa(n int) string { return strconv.Itoa(n) }

func apiPatch(md map[string]any) api.KVMetadataPatchInput {
	return api.KVMetadataPatchInput{CustomMetadata: md}
}
