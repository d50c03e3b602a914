// Command etcd is the etcd server at the version k8s.io/kubernetes pins (v3.5.x). cluster.sh builds it only when the
// machine has no etcd of at least 3.4.22 (Debian 12's etcd-server 3.4.23 is used as-is).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
