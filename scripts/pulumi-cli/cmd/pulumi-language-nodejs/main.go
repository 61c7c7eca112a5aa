// Command pulumi-language-nodejs is a minimal Pulumi language host for Node.js programs,
// written for virtsnap's tests. See ../../README.md for why we have our own: Pulumi's module
// for its Node language host is not served by the Go module proxy, so we cannot build theirs.
//
// What the engine does with a language host (read from the engine side,
// sdk/v3/go/common/resource/plugin/langruntime_plugin.go and plugin.go):
//   - it starts the binary (found next to the `pulumi` executable or on PATH) with optional
//     logging/tracing flags followed by one positional argument, the engine's gRPC address;
//   - it reads one line from our stdout: the port of our LanguageRuntime gRPC server;
//   - everything we (and the node child) print afterwards is shown to the user as diagnostics;
//   - preview/up/refresh/destroy call GetPluginInfo, GetRequiredPackages (falling back to
//     GetRequiredPlugins when that is Unimplemented) and Run. Every other RPC (Handshake is only
//     used when attaching to an already running host, InstallDependencies by `pulumi install`,
//     About, code generation, ...) is left Unimplemented, which the engine tolerates.
//
// Run starts `node <@pulumi/pulumi>/cmd/run <flags> <program>`: the Node SDK's own entry point,
// which connects to the resource monitor and executes the program (through ts-node for
// TypeScript, see README.md).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// fallbackVersion is reported when the binary was built without
// -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=vX.Y.Z"
// (scripts/ensure-pulumi.mjs always sets it to the @pulumi/pulumi version).
const fallbackVersion = "3.0.0"

// exitCodeAlreadyReported is the exit code @pulumi/pulumi/cmd/run uses when it has already logged
// the program's error to the engine (see nodeJSProcessExitedAfterLoggingUserActionableMessage in
// cmd/run/index.js). We then answer with Bail so the engine does not print a second, vaguer error.
const exitCodeAlreadyReported = 32

func main() {
	// The engine may pass these flags before the engine address (buildPluginArguments in
	// sdk/v3/go/common/resource/plugin/plugin.go). We accept them and only forward --tracing.
	flags := flag.NewFlagSet("pulumi-language-nodejs", flag.ContinueOnError)
	tracing := flags.String("tracing", "", "Zipkin-compatible tracing endpoint, forwarded to the program")
	flags.Bool("logtostderr", false, "accepted for compatibility; ignored")
	flags.Int("v", 0, "accepted for compatibility; ignored")
	if err := flags.Parse(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(2)
	}
	engineAddress := flags.Arg(0) // optional: without it the program runs without engine logging

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not find node on $PATH: %v\n", err)
		os.Exit(1)
	}

	host := &nodeHost{nodeBin: nodeBin, engineAddress: engineAddress, tracing: *tracing}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start gRPC server: %v\n", err)
		os.Exit(1)
	}

	// The engine waits for exactly this line before it dials us.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: gRPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

type nodeHost struct {
	// Embedding makes every RPC we do not implement return codes.Unimplemented.
	pulumirpc.UnimplementedLanguageRuntimeServer

	nodeBin       string
	engineAddress string
	tracing       string
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	v := version.Version
	if v == "" {
		v = fallbackVersion
	}
	return &pulumirpc.PluginInfo{Version: v}, nil
}

// GetRequiredPackages tells the engine which resource plugins the program will need, so that it
// can check they are installed before running it. Like Pulumi's own host, we look for packages
// whose package.json carries `"pulumi": {"resource": true}`; unlike it, only in node_modules
// directly under the program (and @scope/ dirs), not in nested node_modules. Dynamic providers
// need nothing here: the engine loads the bundled `pulumi-nodejs` plugin on demand.
func (h *nodeHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	var pkgs []*pulumirpc.PackageDependency
	candidates, _ := filepath.Glob(filepath.Join(dir, "node_modules", "*", "package.json"))
	scoped, _ := filepath.Glob(filepath.Join(dir, "node_modules", "@*", "*", "package.json"))
	for _, path := range append(candidates, scoped...) {
		if dep := resourcePluginOf(path); dep != nil {
			pkgs = append(pkgs, dep)
		}
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

// resourcePluginOf returns the resource plugin a package.json declares, or nil. Unreadable or
// malformed files are skipped: they are not ours to judge, and node will complain if it matters.
func resourcePluginOf(packageJSONPath string) *pulumirpc.PackageDependency {
	data, err := os.ReadFile(packageJSONPath)
	if err != nil {
		return nil
	}
	var pkg struct {
		Name    string                  `json:"name"`
		Version string                  `json:"version"`
		Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
	}
	if json.Unmarshal(data, &pkg) != nil || !pkg.Pulumi.Resource {
		return nil
	}
	// Plugin naming convention: "@pulumi/aws" -> "aws", "@acme/foo" -> "acme/foo" (leading @ dropped).
	name := pkg.Pulumi.Name
	if name == "" {
		name = strings.TrimPrefix(strings.TrimPrefix(pkg.Name, "@pulumi/"), "@")
	}
	ver := pkg.Pulumi.Version
	if ver == "" {
		ver = pkg.Version
	}
	if ver != "" && !strings.HasPrefix(ver, "v") {
		ver = "v" + ver
	}
	return &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: ver, Server: pkg.Pulumi.Server}
}

// Run executes the program once (one preview, update, refresh or destroy pass) and reports how
// it ended. A failing program is not an RPC error: it is reported in RunResponse.Error/Bail.
func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd() // older engines only sent Pwd/Program
	}
	entryPoint := info.GetEntryPoint()
	if entryPoint == "" {
		entryPoint = req.GetProgram()
	}
	if entryPoint == "" {
		// "." lets cmd/run pick package.json's main/exports or index.{js,ts}.
		entryPoint = "."
	}
	options := info.GetOptions().AsMap() // Pulumi.yaml `runtime.options`

	runScript, err := findRunScript(programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	var args []string
	// runtime.options.nodeargs: extra node flags, e.g. "--import tsx" or "--max-old-space-size=4096".
	if nodeArgs, ok := options["nodeargs"].(string); ok {
		args = append(args, strings.Fields(nodeArgs)...)
	}
	args = append(args, runScript)
	addFlag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name+"="+value)
		}
	}
	addFlag("monitor", req.GetMonitorAddress())
	addFlag("engine", h.engineAddress)
	addFlag("organization", req.GetOrganization())
	addFlag("project", req.GetProject())
	addFlag("stack", req.GetStack())
	addFlag("root-directory", info.GetRootDirectory())
	addFlag("pwd", programDir) // cmd/run chdirs there, so the entry point may be relative to it
	addFlag("parallel", strconv.Itoa(int(req.GetParallel())))
	addFlag("tracing", h.tracing)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = append(args, entryPoint)
	args = append(args, req.GetArgs()...)

	env, err := programEnv(req, options)
	if err != nil {
		return nil, err
	}

	// CommandContext: if the engine cancels the RPC (e.g. Ctrl-C, or it goes away), node is killed
	// rather than left running against a dead resource monitor.
	cmd := exec.CommandContext(ctx, h.nodeBin, args...)
	cmd.Dir = programDir
	cmd.Env = env
	// The engine turns our stdout/stderr into the program's diagnostics ("console.log" output).
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr

	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run %s: %v", h.nodeBin, err)}, nil
	}
}

// findRunScript locates @pulumi/pulumi/cmd/run the way Node's require would from the program
// directory: in node_modules of that directory or of any parent. Using the program's own copy of
// the SDK keeps the runtime and the program's `require("@pulumi/pulumi")` the same module.
func findRunScript(programDir string) (string, error) {
	dir, err := filepath.Abs(programDir)
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js")
		if _, err := os.Stat(candidate); err == nil {
			return filepath.Dir(candidate), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("could not find @pulumi/pulumi in node_modules of %s or its parents: "+
				"has `npm install` been run?", programDir)
		}
		dir = parent
	}
}

// programEnv is our environment plus what @pulumi/pulumi's runtime reads from it: the stack's
// config (JSON object, "project:key" -> value), which keys are secret (JSON array), and whether
// and how to load TypeScript through ts-node.
func programEnv(req *pulumirpc.RunRequest, options map[string]any) ([]string, error) {
	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("serializing config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serializing secret config keys: %w", err)
	}

	// runtime.options.typescript defaults to true, as with Pulumi's host: cmd/run then registers
	// ts-node (the project's typescript/ts-node if installed, else copies vendored in @pulumi/pulumi).
	typescript := true
	if v, ok := options["typescript"].(bool); ok {
		typescript = v
	}

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(typescript),
	)
	if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	return env, nil
}
