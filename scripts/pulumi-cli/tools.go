//go:build tools

// Package tools pins the Pulumi CLI as a dependency of this module, so go.mod/go.sum record the
// exact module graph `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi` uses. The build tag
// keeps it out of normal builds; `go mod tidy` still sees the import.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
