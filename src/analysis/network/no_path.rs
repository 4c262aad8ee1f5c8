//! The two ways a function has no path: no NAT route and no interface endpoint (SL301), or an
//! interface endpoint the SDK does not resolve to (SL304).

use super::{Analysis, Egress, NetKind};
use crate::model::network::{Subnet, VpcEndpoint};

impl<'m> Analysis<'_, 'm> {
    pub(super) fn no_path(&mut self, bad: &[(&'m Subnet, Egress<'m>)], runtime: &[&'m VpcEndpoint]) {
        self.push(NetKind::NoPath { bad: bad.to_vec(), runtime: runtime.to_vec() });
    }

    pub(super) fn dns_off(&mut self, ep: &'m VpcEndpoint, bad: &[(&'m Subnet, Egress<'m>)]) {
        let vpc = self.vpc(&ep.vpc, ep.loc.file);
        self.push(NetKind::DnsOff { endpoint: ep, vpc, bad: bad.to_vec() });
    }
}
