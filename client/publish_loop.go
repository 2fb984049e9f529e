package client

import (
	"errors"

	"github.com/wampgo/wampgo/protocol"
)

func (s *loopState) handlePublish(c *cmdPublish) {
	if err := c.ctx.Err(); err != nil {
		c.reply <- publishReply{err: err} // held while reconnecting; the caller gave up
		return
	}
	if err := s.admit("Publish", c.msg, c.payload); err != nil {
		c.reply <- publishReply{err: err}
		return
	}
	req := s.nextID()
	c.msg.Request = req
	if !c.ack {
		var err error
		if s.closing {
			err = closedError(errors.New("session is closing"))
		} else {
			err = s.send(c.msg, c.payload.payload)
		}
		c.reply <- publishReply{err: err}
		return
	}
	s.requestWith(req, c.msg, c.payload.payload, func(msg protocol.Message, err error) {
		if err != nil {
			c.reply <- publishReply{err: err}
			return
		}
		c.reply <- publishReply{publication: msg.(*protocol.Published).Publication}
	})
}
