package clustertest

import (
	"context"
	"net"
	"slices"
	"sort"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// readyEndpointIPs lists the ready addresses of every EndpointSlice of a Service.
func readyEndpointIPs(ctx context.Context, ns, svc string) ([]string, error) {
	list, err := client.DiscoveryV1().EndpointSlices(ns).List(ctx, metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=" + svc})
	if err != nil {
		return nil, err
	}
	var ips []string
	for _, s := range list.Items {
		for _, e := range s.Endpoints {
			if e.Conditions.Ready != nil && *e.Conditions.Ready {
				ips = append(ips, e.Addresses...)
			}
		}
	}
	sort.Strings(ips)
	return ips, nil
}

func TestServiceEndpointSlicesFollowTheSelector(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	blue := map[string]string{"app": "web", "track": "blue"}
	green := map[string]string{"app": "web", "track": "green"}
	createDeployment(t, ns, deploymentSpec{name: "web-blue", replicas: 2, labels: blue})
	createDeployment(t, ns, deploymentSpec{name: "web-green", replicas: 1, labels: green})
	waitDeploymentComplete(t, ns, "web-blue", 60*time.Second)
	waitDeploymentComplete(t, ns, "web-green", 60*time.Second)
	blueIPs, greenIPs := podIPs(listPods(t, ns, blue)), podIPs(listPods(t, ns, green))
	if len(blueIPs) != 2 || len(greenIPs) != 1 {
		t.Fatalf("want 2 blue and 1 green pod IPs, got %v and %v", blueIPs, greenIPs)
	}

	svc, err := client.CoreV1().Services(ns).Create(context.Background(), &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.ServiceSpec{
			Selector: blue,
			Ports:    []corev1.ServicePort{{Name: "http", Port: 80, TargetPort: intstr.FromInt32(8080)}},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, serviceNet, _ := net.ParseCIDR("10.96.0.0/16")
	if ip := net.ParseIP(svc.Spec.ClusterIP); ip == nil || !serviceNet.Contains(ip) {
		t.Errorf("ClusterIP %q is not in the service range 10.96.0.0/16", svc.Spec.ClusterIP)
	}

	var got []string
	eventually(t, 30*time.Second, "EndpointSlices to hold exactly the blue pods", func(ctx context.Context) (bool, error) {
		var err error
		got, err = readyEndpointIPs(ctx, ns, "web")
		return slices.Equal(got, blueIPs), err
	})

	patch := `{"spec":{"selector":{"track":"green"}}}`
	if _, err := client.CoreV1().Services(ns).Patch(context.Background(), "web", types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "EndpointSlices to switch to the green pod", func(ctx context.Context) (bool, error) {
		var err error
		got, err = readyEndpointIPs(ctx, ns, "web")
		return slices.Equal(got, greenIPs), err
	})
}
