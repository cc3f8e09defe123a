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

// runnerJob is the Job for one session; its pod carries the label the runner NetworkPolicy selects.
func runnerJob(namespace, name, prompt, image string) map[string]any {
	return map[string]any{
		"apiVersion": "batch/v1",
		"kind":       "Job",
		"metadata":   map[string]any{"name": "runner-" + name, "namespace": namespace, "labels": map[string]string{"app": "ambient-code-runner"}},
		"spec": map[string]any{
			"backoffLimit":            0,
			"ttlSecondsAfterFinished": 3600,
			"template": map[string]any{
				"metadata": map[string]any{"labels": map[string]string{"app": "ambient-code-runner", "session": name}},
				"spec": map[string]any{
					"restartPolicy":      "Never",
					"serviceAccountName": "ambient-code-runner",
					"containers": []any{map[string]any{
						"name":  "runner",
						"image": image,
						"env":   []any{map[string]string{"name": "SESSION_PROMPT", "value": prompt}},
					}},
				},
			},
		},
	}
}

func (c *apiClient) reconcile(ctx context.Context, runnerImage string) error {
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
		job := runnerJob(c.namespace, s.Metadata.Name, s.Spec.Prompt, runnerImage)
		if err := c.do(ctx, http.MethodPost, "/apis/batch/v1/namespaces/"+c.namespace+"/jobs", job, nil); err != nil {
			slog.Warn("could not start a runner", "session", s.Metadata.Name, "error", err)
			continue
		}
		slog.Info("runner started", "session", s.Metadata.Name)
	}
	return nil
}

func main() {
	client, err := inCluster()
	if err != nil {
		slog.Error("operator cannot start", "error", err)
		os.Exit(1)
	}
	runnerImage := os.Getenv("RUNNER_IMAGE")
	if runnerImage == "" {
		runnerImage = "quay.io/ambient_code/vteam_claude_runner:latest"
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ticker := time.NewTicker(10 * time.Second)
	defer ticker.Stop()
	for {
		if err := client.reconcile(ctx, runnerImage); err != nil {
			slog.Warn("reconcile failed; retrying on the next tick", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
