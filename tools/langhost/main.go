// Command pulumi-language-python is the Python language host that the Pulumi
// engine starts for projects with `runtime: python`.
//
// The module proxy reachable from the build machines does not serve the
// upstream host's module, so this is a small host of the project's own. It
// speaks the engine's LanguageRuntime protocol from the pinned sdk/v3 module
// and runs programs through `pulumi-language-python-exec`, the launcher script
// that ships inside the same sdk/v3 module and must sit beside this binary.
// Virtual environments are resolved by sdk/v3's python/toolchain package, so
// `runtime.options.virtualenv` and `toolchain` in Pulumi.yaml mean what they
// mean to the upstream host.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.0.0-dev"

// userActionableExit is the launcher's exit code for "an error was already
// shown to the user": the engine should stop without printing another one.
const userActionableExit = 32

// pluginScript lists the pulumi-plugin.json of every installed distribution.
// Each one names a resource plugin that the program may ask the engine for.
const pluginScript = `
import importlib.metadata as md, json, sys
found = []
for dist in md.distributions():
    for f in dist.files or ():
        if f.name != "pulumi-plugin.json":
            continue
        try:
            data = json.loads(f.read_text())
        except Exception:
            continue
        if isinstance(data, dict):
            data["_distribution"] = dist.metadata["Name"]
            found.append(data)
json.dump(found, sys.stdout)
`

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	exec          string // path of pulumi-language-python-exec
	mu            sync.Mutex
	engineAddress string
}

func main() {
	// The engine passes these logging flags to every plugin; they are accepted
	// so that a verbose `pulumi up -v=9` does not stop the host.
	// -logtostderr and -v come with the logging package that sdk/v3 links in.
	for _, name := range []string{"tracing", "logflow", "logtostderr", "v"} {
		if flag.Lookup(name) == nil {
			flag.String(name, "", "engine logging flag (accepted, unused)")
		}
	}
	flag.Parse()

	self, err := os.Executable()
	if err != nil {
		fail("cannot find own path: %v", err)
	}
	if resolved, err := filepath.EvalSymlinks(self); err == nil {
		self = resolved
	}
	launcher := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
	if _, err := os.Stat(launcher); err != nil {
		fail("missing launcher %s: it must sit beside this binary (tools/toolchain.sh installs it)", launcher)
	}

	h := &host{exec: launcher}
	if flag.NArg() > 0 {
		h.engineAddress = flag.Arg(0)
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fail("cannot serve: %v", err)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail("server stopped: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python: "+format+"\n", args...)
	os.Exit(1)
}

func (h *host) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *host) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *host) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

func (h *host) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// resolve returns the Python toolchain that the project's runtime options name.
func resolve(info *pulumirpc.ProgramInfo) (toolchain.Toolchain, error) {
	opts, err := pythonOptions(info)
	if err != nil {
		return nil, err
	}
	return toolchain.ResolveToolchain(opts)
}

// pythonOptions reads the runtime options of Pulumi.yaml (or PulumiPlugin.yaml, PulumiPolicy.yaml).
func pythonOptions(info *pulumirpc.ProgramInfo) (toolchain.PythonOptions, error) {
	if info == nil {
		return toolchain.PythonOptions{}, status.Error(codes.InvalidArgument, "the engine sent no program info")
	}
	opts := toolchain.PythonOptions{
		Root:       info.GetRootDirectory(),
		ProgramDir: info.GetProgramDirectory(),
		Toolchain:  toolchain.Auto,
	}
	for key, value := range info.GetOptions().AsMap() {
		text, _ := value.(string)
		switch key {
		case "virtualenv":
			opts.Virtualenv = text
		case "toolchain":
			switch text {
			case "pip":
				opts.Toolchain = toolchain.Pip
			case "poetry":
				opts.Toolchain = toolchain.Poetry
			case "uv":
				opts.Toolchain = toolchain.Uv
			default:
				return opts, status.Errorf(codes.InvalidArgument,
					"runtime.options.toolchain is %q; allowed: pip, poetry, uv", text)
			}
		case "typechecker":
			if text != "" {
				return opts, status.Errorf(codes.InvalidArgument,
					"runtime.options.typechecker is %q; this host does not run type checkers", text)
			}
		}
	}
	return opts, nil
}

func (h *host) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	tc, err := resolve(req.GetInfo())
	if err != nil {
		return nil, err
	}
	cmd, err := tc.Command(ctx, "-c", pluginScript)
	if err != nil {
		return nil, err
	}
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing Pulumi plugins of the virtual environment: %w: %s", err, stderr.String())
	}
	var found []map[string]any
	if err := json.Unmarshal(out, &found); err != nil {
		return nil, fmt.Errorf("listing Pulumi plugins of the virtual environment: %w", err)
	}
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	for _, p := range found {
		if resource, _ := p["resource"].(bool); !resource {
			continue
		}
		name, _ := p["name"].(string)
		if name == "" {
			continue
		}
		ver, _ := p["version"].(string)
		server, _ := p["server"].(string)
		dep := &pulumirpc.PackageDependency{Kind: "resource", Name: name, Version: ver, Server: server}
		if param, ok := p["parameterization"].(map[string]any); ok {
			pname, _ := param["name"].(string)
			pver, _ := param["version"].(string)
			pval, _ := param["value"].(string)
			dep.Parameterization = &pulumirpc.PackageParameterization{
				Name: pname, Version: pver, Value: []byte(pval),
			}
		}
		resp.Packages = append(resp.Packages, dep)
	}
	return resp, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	tc, err := resolve(info)
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	program := info.GetEntryPoint()
	if program == "" || program == "." {
		program = info.GetProgramDirectory()
	} else if !filepath.IsAbs(program) {
		program = filepath.Join(info.GetProgramDirectory(), program)
	}

	args := []string{"-u", h.exec,
		"--monitor", req.GetMonitorAddress(),
		"--engine", h.engine(),
		"--project", req.GetProject(),
		"--stack", req.GetStack(),
		"--pwd", req.GetPwd(),
		"--parallel", strconv.Itoa(int(req.GetParallel())),
		"--dry_run", strconv.FormatBool(req.GetDryRun()),
		"--root_directory", info.GetRootDirectory(),
	}
	if req.GetOrganization() != "" {
		args = append(args, "--organization", req.GetOrganization())
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return nil, err
	}
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	if cmd.Env == nil { // no virtualenv: the toolchain left the environment to be inherited
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secrets))
	cmd.Dir = req.GetPwd()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr

	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == userActionableExit {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("the Python program exited with code %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("cannot start the Python program: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	tc, err := resolve(req.GetInfo())
	if err != nil {
		return err
	}
	out := &streamWriter{send: func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	errs := &streamWriter{send: func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	dir := req.GetInfo().GetProgramDirectory()
	return tc.InstallDependencies(server.Context(), dir, false, true, out, errs)
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	tc, err := resolve(req.GetInfo())
	if err != nil {
		return nil, err
	}
	about, err := tc.About(ctx)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{
		Executable: about.PythonExecutable,
		Version:    about.PythonVersion.String(),
	}, nil
}

func (h *host) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	tc, err := resolve(req.GetInfo())
	if err != nil {
		return nil, err
	}
	pkgs, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, p := range pkgs {
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return resp, nil
}

// streamWriter turns writes into messages on a gRPC stream.
type streamWriter struct{ send func([]byte) error }

func (w *streamWriter) Write(p []byte) (int, error) {
	buf := make([]byte, len(p))
	copy(buf, p)
	if err := w.send(buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

// limitedBuffer keeps the first 64 KiB written to it, enough for an error message.
type limitedBuffer struct{ data []byte }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - len(b.data); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		b.data = append(b.data, p[:room]...)
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return string(b.data) }

var _ io.Writer = (*limitedBuffer)(nil)
