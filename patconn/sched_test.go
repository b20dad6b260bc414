package patconn_test

import "runtime"

func runtimeGosched() { runtime.Gosched() }
