// Command operator watches AgenticSession resources in its namespace and starts one runner Job for
// each new session. It talks to the API server with its service account, using only the standard
// library, so the image stays small.
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

const serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount"

type apiClient struct {
	base      string
	namespace string
	token     string
	http      *http.Client
}

type session struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Prompt string `json:"prompt"`
	} `json:"spec"`
	Status struct {
		Phase string `json:"phase"`
	} `json:"status"`
}

func inCluster() (*apiClient, error) {
	host, port := os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")
	if host == "" || port == "" {
		return nil, fmt.Errorf("KUBERNETES_SERVICE_HOST/PORT are not set: the operator runs inside the cluster")
	}
	token, err := os.ReadFile(serviceAccountDir + "/token")
	if err != nil {
		return nil, fmt.Errorf("reading the service account token: %w", err)
	}
	ca, err := os.ReadFile(serviceAccountDir + "/ca.crt")
	if err != nil {
		return nil, fmt.Errorf("reading the cluster CA: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	namespace := os.Getenv("WATCH_NAMESPACE")
	if namespace == "" {
		namespace = "ambient-code"
	}
	return &apiClient{
		base:      "https://" + host + ":" + port,
		namespace: namespace,
		token:     strings.TrimSpace(string(token)),
		http:      &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}},
	}, nil
}

func (c *apiClient) do(ctx context.Context, method, path string, body any, out any) error {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, reader)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// runnerJob is the Job for one session. Its pod is the PodTemplate ambient-code-runner shipped with
// the manifests (hardened there and checked by the build), plus the session's prompt.
func runnerJob(namespace, name, prompt string, template map[string]any) (map[string]any, error) {
	spec, _ := template["spec"].(map[string]any)
	containers, _ := spec["containers"].([]any)
	if len(containers) == 0 {
		return nil, fmt.Errorf("the PodTemplate ambient-code-runner has no containers")
	}
	runner, ok := containers[0].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the PodTemplate ambient-code-runner has a container that is not an object")
	}
	env, _ := runner["env"].([]any)
	runner["env"] = append(env, map[string]string{"name": "SESSION_PROMPT", "value": prompt})
	spec["restartPolicy"] = "Never"
	metadata, _ := template["metadata"].(map[string]any)
	if metadata == nil {
		metadata = map[string]any{}
		template["metadata"] = metadata
	}
	labels, _ := metadata["labels"].(map[string]any)
	if labels == nil {
		labels = map[string]any{}
		metadata["labels"] = labels
	}
	labels["app"], labels["session"] = "ambient-code-runner", name
	return map[string]any{
		"apiVersion": "batch/v1",
		"kind":       "Job",
		"metadata":   map[string]any{"name": "runner-" + name, "namespace": namespace, "labels": map[string]string{"app": "ambient-code-runner"}},
		"spec":       map[string]any{"backoffLimit": 0, "ttlSecondsAfterFinished": 3600, "template": template},
	}, nil
}

func (c *apiClient) reconcile(ctx context.Context) error {
	var list struct {
		Items []session `json:"items"`
	}
	if err := c.do(ctx, http.MethodGet, "/apis/vteam.ambient-code/v1alpha1/namespaces/"+c.namespace+"/agenticsessions", nil, &list); err != nil {
		return err
	}
	for _, s := range list.Items {
		if s.Status.Phase != "" {
			continue
		}
		var podTemplate struct {
			Template map[string]any `json:"template"`
		}
		if err := c.do(ctx, http.MethodGet, "/api/v1/namespaces/"+c.namespace+"/podtemplates/ambient-code-runner", nil, &podTemplate); err != nil {
			return err
		}
		job, err := runnerJob(c.namespace, s.Metadata.Name, s.Spec.Prompt, podTemplate.Template)
		if err != nil {
			return err
		}
		if err := c.do(ctx, http.MethodPost, "/apis/batch/v1/namespaces/"+c.namespace+"/jobs", job, nil); err != nil {
			slog.Warn("could not start a runner", "session", s.Metadata.Name, "error", err)
			continue
		}
		// The phase marks the session as handled, so the next tick does not start a second runner.
		status := map[string]any{"status": map[string]string{"phase": "Running"}}
		if err := c.doPatch(ctx, "/apis/vteam.ambient-code/v1alpha1/namespaces/"+c.namespace+"/agenticsessions/"+s.Metadata.Name+"/status", status); err != nil {
			slog.Warn("runner started, but the session status was not updated", "session", s.Metadata.Name, "error", err)
			continue
		}
		slog.Info("runner started", "session", s.Metadata.Name)
	}
	return nil
}

// rotate asks the External Secrets operator to fetch each named ExternalSecret again now, by
// changing its force-sync annotation; the rotation CronJob runs this.
func (c *apiClient) rotate(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return fmt.Errorf("rotate needs the names of the ExternalSecrets to refresh")
	}
	stamp := time.Now().UTC().Format(time.RFC3339)
	for _, name := range names {
		patch := map[string]any{"metadata": map[string]any{"annotations": map[string]string{"force-sync": stamp}}}
		path := "/apis/external-secrets.io/v1/namespaces/" + c.namespace + "/externalsecrets/" + name
		if err := c.doPatch(ctx, path, patch); err != nil {
			return fmt.Errorf("refreshing ExternalSecret %s: %w", name, err)
		}
		slog.Info("refresh requested", "externalSecret", name)
	}
	return nil
}

func (c *apiClient) doPatch(ctx context.Context, path string, patch any) error {
	data, err := json.Marshal(patch)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, c.base+path, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/merge-patch+json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("PATCH %s: %s", path, resp.Status)
	}
	return nil
}

// serveHealth answers the kubelet's liveness probe.
func serveHealth(addr string) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	server := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := server.ListenAndServe(); err != nil {
		slog.Error("health endpoint stopped", "error", err)
	}
}

func main() {
	client, err := inCluster()
	if err != nil {
		slog.Error("operator cannot start", "error", err)
		os.Exit(1)
	}
	if len(os.Args) > 1 && os.Args[1] == "rotate" {
		if err := client.rotate(context.Background(), os.Args[2:]); err != nil {
			slog.Error("rotation failed", "error", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go serveHealth(":8081")
	ticker := time.NewTicker(10 * time.Second)
	defer ticker.Stop()
	for {
		if err := client.reconcile(ctx); err != nil {
			slog.Warn("reconcile failed; retrying on the next tick", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
