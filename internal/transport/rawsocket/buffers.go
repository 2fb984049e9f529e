package rawsocket

import "github.com/wampgo/wampgo/internal/transport/lazyio"

// An idle connection holds no large buffer: reads wait for data in the
// small array of a lazyio.Reader, and the read and write buffers a burst of
// traffic needs come from lazyio's pool.

// ioBuffer is the size of the pooled read and write buffers.
const ioBuffer = lazyio.BufferSize
