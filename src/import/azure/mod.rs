//! An Azure estate as a plan: a site per region (the roles from the options, else the regions
//! with the most VNets and the second most, flagged to check), an on-premises site for local
//! network gateways and circuits, VNets with their subnets and gateways, peerings with both
//! sides' settings, connections by type (site-to-site to the local network gateway's address
//! space, VNet-to-VNet, ExpressRoute to the circuit), NICs as machines, route tables in the VNet
//! of their subnets with an NVA at every appliance next hop. Azure names and resource groups are
//! kept in each element's Azure identity.

use std::collections::BTreeMap;
use std::net::IpAddr;

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;

mod hosts;

use super::resources::{self, Kind, Resource, field, id_name, items, parent_key, reference, text};
use super::{ImportError, Imported, Input, Skip, Summary, element_id, regions};
use crate::model::*;

/// What the user says about the regions.
#[derive(Clone, Debug, Default)]
pub struct AzureOptions {
    /// The plan's name.
    pub name: String,
    /// The primary region (`eastasia` or `East Asia`); else the region with the most VNets.
    pub primary: Option<String>,
    /// The recovery region; else the region with the second most VNets.
    pub recovery: Option<String>,
}

/// Imports an Azure estate.
pub fn azure(inputs: &[Input], options: &AzureOptions) -> Result<Imported, ImportError> {
    let mut summary = Summary::default();
    let resources = resources::read(inputs, &mut summary.skipped)?;
    let mut builder = Builder {
        plan: Plan::new(options.name.clone()),
        ids: FxHashSet::default(),
        summary,
        region_sites: FxHashMap::default(),
        on_premises: None,
        networks: FxHashMap::default(),
        subnets: FxHashMap::default(),
        gateways: FxHashMap::default(),
        circuits: FxHashMap::default(),
        local_gateways: FxHashMap::default(),
        public_ips: FxHashMap::default(),
    };
    builder.sites(&resources, options)?;
    builder.networks(&resources);
    builder.gateways(&resources);
    builder.circuits(&resources);
    builder.local_gateways(&resources);
    builder.peerings(&resources);
    builder.connections(&resources);
    builder.machines(&resources);
    builder.route_tables(&resources);
    let Builder { mut plan, mut summary, .. } = builder;
    crate::export::diagram::store_positions(&mut plan);
    summary.sort_skips();
    summary.created = vec![
        ("sites", plan.sites.len()),
        ("networks", plan.networks.len()),
        ("subnets", plan.subnets.len()),
        ("gateways", plan.networks.iter().map(|network| network.gateways.len()).sum()),
        ("circuits", plan.circuits.len()),
        ("connections", plan.connections.len()),
        ("machines", plan.machines.len()),
        ("route tables", plan.networks.iter().map(|network| network.route_tables.len()).sum()),
        ("NVAs", plan.networks.iter().map(|network| network.nvas.len()).sum()),
    ];
    Ok(Imported { plan: super::loadable(plan)?, summary })
}

struct Builder {
    plan: Plan,
    ids: FxHashSet<String>,
    summary: Summary,
    /// Site ids by region location key, and the on-premises site.
    region_sites: FxHashMap<String, SiteId>,
    on_premises: Option<SiteId>,
    /// Element ids by lower-case Azure id.
    networks: FxHashMap<String, NetworkId>,
    subnets: FxHashMap<String, SubnetId>,
    /// Gateway resource key: (network, gateway kind).
    gateways: FxHashMap<String, (NetworkId, GatewayKind)>,
    circuits: FxHashMap<String, CircuitId>,
    local_gateways: FxHashMap<String, NetworkId>,
    public_ips: FxHashMap<String, IpAddr>,
}

fn identity(resource: &Resource) -> Azure {
    Azure::from(AzureIdentity {
        name: Some(resource.name.clone()),
        resource_group: resource.resource_group.clone(),
        subscription: resource.subscription.clone(),
    })
}

fn skip(summary: &mut Summary, resource: &Resource, what: &str, why: impl Into<String>) {
    summary.skipped.push(Skip { what: format!("{what} \"{}\"", resource.name), origin: resource.origin.clone(), why: why.into() });
}

fn prefix_of(value: &Value) -> Option<Prefix> {
    value.as_str().and_then(|text| text.parse().ok())
}

fn flag(value: &Value, name: &str) -> bool {
    field(value, name).and_then(Value::as_bool).unwrap_or(false)
}

impl Builder {
    fn of_kind(resources: &[Resource], kind: Kind) -> impl Iterator<Item = &Resource> {
        resources.iter().filter(move |resource| resource.kind == kind)
    }

    fn site_for_location(&mut self, location: &str, role: SiteRole) -> SiteId {
        let key = regions::location_key(location);
        if let Some(id) = self.region_sites.get(&key) {
            return id.clone();
        }
        if regions::region(location).is_none() {
            self.summary.check.push(format!("Region \"{location}\" is not one drplan knows: its site has no geography; set it in the inspector."));
        }
        let id = SiteId::new(element_id(&mut self.ids, "site", &key));
        self.plan.sites.push(regions::region_site(id.clone(), location, role));
        self.region_sites.insert(key, id.clone());
        id
    }

    /// A site per region of the VNets, roles as the options say or by the number of VNets.
    fn sites(&mut self, resources: &[Resource], options: &AzureOptions) -> Result<(), ImportError> {
        let mut counts: BTreeMap<String, (usize, String)> = BTreeMap::new();
        for vnet in Self::of_kind(resources, Kind::VirtualNetwork) {
            if let Some(location) = &vnet.location {
                let entry = counts.entry(regions::location_key(location)).or_insert((0, location.clone()));
                entry.0 += 1;
            }
        }
        if counts.is_empty() {
            return Err(ImportError::Options(
                "the input holds no virtual network with a location: nothing to build a plan around (include `az network vnet list`)".to_owned(),
            ));
        }
        let mut by_count: Vec<(String, usize)> = counts.iter().map(|(key, (count, _))| (key.clone(), *count)).collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let chosen = |option: &Option<String>, flag: &str| -> Result<Option<String>, ImportError> {
            match option {
                None => Ok(None),
                Some(region) => {
                    let key = regions::location_key(region);
                    // A region of the input, or one drplan knows (a recovery region with no VNet yet).
                    if counts.contains_key(&key) || regions::region(region).is_some() {
                        Ok(Some(key))
                    } else {
                        let found: Vec<&str> = counts.values().map(|(_, name)| name.as_str()).collect();
                        Err(ImportError::Options(format!(
                            "{flag} {region}: not an Azure region the input or drplan knows (the input's VNets are in {})",
                            found.join(", ")
                        )))
                    }
                }
            }
        };
        let primary = chosen(&options.primary, "--primary")?;
        let recovery = chosen(&options.recovery, "--recovery")?;
        let primary = match primary {
            Some(key) => key,
            None => {
                let key = by_count.iter().map(|(key, _)| key.clone()).find(|key| Some(key) != recovery.as_ref()).unwrap_or_else(|| by_count[0].0.clone());
                self.summary.check.push(format!("The primary region is {}, the one with the most VNets: check it (a site's role is set in the inspector; `import azure --primary` chooses it).", display(&key)));
                key
            }
        };
        let recovery = match recovery {
            Some(key) => Some(key),
            None => {
                let key = by_count.iter().map(|(key, _)| key.clone()).find(|key| *key != primary);
                match &key {
                    Some(key) => self.summary.check.push(format!(
                        "The recovery region is {}, the one with the second most VNets: check it (`import azure --recovery` chooses it).",
                        display(key)
                    )),
                    None => self.summary.check.push(
                        "The input has VNets in one region only: no recovery site yet (add one, then Propose recovery side, or `drplan mirror`).".to_owned(),
                    ),
                }
                key
            }
        };
        self.site_for_location(&primary, SiteRole::Primary);
        if let Some(recovery) = &recovery {
            self.site_for_location(recovery, SiteRole::Recovery);
        }
        for (key, _) in &by_count {
            self.site_for_location(key, SiteRole::Third);
        }
        Ok(())
    }

    fn on_premises_site(&mut self) -> SiteId {
        if let Some(id) = &self.on_premises {
            return id.clone();
        }
        let id = SiteId::new(element_id(&mut self.ids, "site", "on-premises"));
        self.plan.sites.push(Site {
            id: id.clone(),
            name: "On-premises".to_owned(),
            kind: SiteKind::Physical,
            role: SiteRole::Third,
            region: None,
            geography: None,
            azure: Azure::default(),
            position: None,
        });
        self.summary.check.push(
            "The on-premises site (local network gateways, circuits) is drawn as physical servers: set its kind (VMM, VMware) in the inspector.".to_owned(),
        );
        self.on_premises = Some(id.clone());
        id
    }

    fn networks(&mut self, resources: &[Resource]) {
        for vnet in Self::of_kind(resources, Kind::VirtualNetwork) {
            let Some(site) = vnet.location.as_deref().map(|location| self.site_for_location(location, SiteRole::Third)) else {
                skip(&mut self.summary, vnet, "VNet", "it has no location");
                continue;
            };
            let address_space: Vec<Prefix> =
                field(&vnet.body, "addressSpace").map(|space| items(space, "addressPrefixes").iter().filter_map(prefix_of).collect()).unwrap_or_default();
            let id = NetworkId::new(element_id(&mut self.ids, "net", &vnet.name));
            let mut service_endpoints: Vec<String> = Vec::new();
            for subnet in items(&vnet.body, "subnets") {
                let name = text(subnet, "name").unwrap_or_default().to_owned();
                let prefixes: Vec<&Value> = field(subnet, "addressPrefix").into_iter().chain(items(subnet, "addressPrefixes")).collect();
                let Some(prefix) = prefixes.first().and_then(|value| prefix_of(value)) else {
                    self.summary.skipped.push(Skip {
                        what: format!("subnet \"{name}\" of \"{}\"", vnet.name),
                        origin: vnet.origin.clone(),
                        why: "it has no address prefix drplan reads".to_owned(),
                    });
                    continue;
                };
                if prefixes.len() > 1 {
                    self.summary.check.push(format!(
                        "Subnet \"{name}\" of \"{}\" has {} prefixes; drplan keeps the first, {prefix}.",
                        vnet.name,
                        prefixes.len()
                    ));
                }
                for endpoint in items(subnet, "serviceEndpoints") {
                    if let Some(service) = text(endpoint, "service")
                        && !service_endpoints.iter().any(|known| known == service)
                    {
                        service_endpoints.push(service.to_owned());
                    }
                }
                let subnet_id = SubnetId::new(element_id(&mut self.ids, "sub", &format!("{}-{name}", vnet.name)));
                if let Some(key) = text(subnet, "id") {
                    self.subnets.insert(key.to_ascii_lowercase(), subnet_id.clone());
                }
                self.plan.subnets.push(Subnet {
                    id: subnet_id,
                    name,
                    network: id.clone(),
                    prefix,
                    allocation: Allocation::Static,
                    static_pool: None,
                    dhcp_range: None,
                    position: None,
                });
            }
            self.networks.insert(vnet.key.clone(), id.clone());
            self.plan.networks.push(Network {
                id,
                name: vnet.name.clone(),
                site,
                kind: NetworkKind::Vnet,
                address_space,
                purpose: NetworkPurpose::Production,
                isolation: Isolation::None,
                gateways: Vec::new(),
                route_tables: Vec::new(),
                service_endpoints,
                nvas: Vec::new(),
                azure: identity(vnet),
                position: None,
            });
        }
    }

    fn network_mut(&mut self, id: &NetworkId) -> Option<&mut Network> {
        self.plan.networks.iter_mut().find(|network| &network.id == id)
    }

    /// Gateways, on the VNet whose GatewaySubnet holds them.
    fn gateways(&mut self, resources: &[Resource]) {
        for gateway in Self::of_kind(resources, Kind::VirtualNetworkGateway) {
            let kind = match text(&gateway.body, "gatewayType").map(str::to_ascii_lowercase).as_deref() {
                Some("vpn") => GatewayKind::Vpn,
                Some("expressroute") => GatewayKind::ExpressRoute,
                other => {
                    skip(&mut self.summary, gateway, "gateway", format!("gateway type {} is not imported", other.unwrap_or("(none)")));
                    continue;
                }
            };
            let subnet = items(&gateway.body, "ipConfigurations").iter().find_map(|configuration| reference(configuration, "subnet"));
            let network = subnet.as_deref().and_then(|subnet| parent_key(subnet, "subnets")).and_then(|vnet| self.networks.get(&vnet).cloned());
            let Some(network) = network else {
                skip(&mut self.summary, gateway, "gateway", "its GatewaySubnet is in no VNet of the input");
                continue;
            };
            let id = GatewayId::new(element_id(&mut self.ids, "gw", &gateway.name));
            let azure = identity(gateway);
            if let Some(found) = self.network_mut(&network) {
                found.gateways.push(Gateway { id, name: gateway.name.clone(), kind, provisioned_before_failover: true, azure });
            }
            self.gateways.insert(gateway.key.clone(), (network, kind));
        }
    }

    fn circuits(&mut self, resources: &[Resource]) {
        for circuit in Self::of_kind(resources, Kind::ExpressRouteCircuit) {
            let provider = field(&circuit.body, "serviceProviderProperties");
            let peering_location = provider.and_then(|provider| text(provider, "peeringLocation")).unwrap_or_default().to_owned();
            let bandwidth_mbps =
                provider.and_then(|provider| field(provider, "bandwidthInMbps")).and_then(Value::as_u64).and_then(|value| u32::try_from(value).ok());
            let Some(bandwidth_mbps) = bandwidth_mbps else {
                skip(&mut self.summary, circuit, "circuit", "it has no bandwidthInMbps");
                continue;
            };
            let premium = field(&circuit.body, "sku").and_then(|sku| text(sku, "tier")).is_some_and(|tier| tier.eq_ignore_ascii_case("premium"));
            let geography = match regions::peering_geography(&peering_location) {
                Some(geography) => geography.to_owned(),
                None => {
                    let from_region = circuit.location.as_deref().and_then(regions::region).map(|(_, geography)| geography);
                    self.summary.check.push(format!(
                        "Circuit \"{}\": peering location \"{peering_location}\" is not one drplan knows; its geography is taken from the circuit's region ({}).",
                        circuit.name,
                        from_region.unwrap_or("unknown")
                    ));
                    from_region.unwrap_or_default().to_owned()
                }
            };
            let site = self.on_premises_site();
            let id = CircuitId::new(element_id(&mut self.ids, "circuit", &circuit.name));
            self.circuits.insert(circuit.key.clone(), id.clone());
            self.plan.circuits.push(Circuit {
                id,
                name: circuit.name.clone(),
                site,
                peering_location,
                geography,
                bandwidth_mbps,
                premium,
                azure: identity(circuit),
                position: None,
            });
        }
    }

    /// A local network gateway is the on-premises LAN behind it, with a VPN device.
    fn local_gateways(&mut self, resources: &[Resource]) {
        for local in Self::of_kind(resources, Kind::LocalNetworkGateway) {
            let address_space: Vec<Prefix> = field(&local.body, "localNetworkAddressSpace")
                .map(|space| items(space, "addressPrefixes").iter().filter_map(prefix_of).collect())
                .unwrap_or_default();
            let site = self.on_premises_site();
            let id = NetworkId::new(element_id(&mut self.ids, "net", &local.name));
            let gateway = GatewayId::new(element_id(&mut self.ids, "gw", &format!("{}-device", local.name)));
            self.local_gateways.insert(local.key.clone(), id.clone());
            self.plan.networks.push(Network {
                id,
                name: local.name.clone(),
                site,
                kind: NetworkKind::Lan,
                address_space,
                purpose: NetworkPurpose::Production,
                isolation: Isolation::None,
                gateways: vec![Gateway {
                    id: gateway,
                    name: format!("{} VPN device", local.name),
                    kind: GatewayKind::Vpn,
                    provisioned_before_failover: true,
                    azure: Azure::default(),
                }],
                route_tables: Vec::new(),
                service_endpoints: Vec::new(),
                nvas: Vec::new(),
                azure: identity(local),
                position: None,
            });
        }
    }

    /// One connection per peered pair, with both sides' settings.
    fn peerings(&mut self, resources: &[Resource]) {
        let settings = |peering: &Value| PeeringSettings {
            allow_virtual_network_access: flag(peering, "allowVirtualNetworkAccess"),
            allow_forwarded_traffic: flag(peering, "allowForwardedTraffic"),
            allow_gateway_transit: flag(peering, "allowGatewayTransit"),
            use_remote_gateways: flag(peering, "useRemoteGateways"),
        };
        let mut sides: FxHashMap<VnetPair, PeeringSide> = FxHashMap::default();
        let vnets: Vec<&Resource> = Self::of_kind(resources, Kind::VirtualNetwork).collect();
        for (position, vnet) in vnets.iter().enumerate() {
            for peering in items(&vnet.body, "virtualNetworkPeerings") {
                let name = text(peering, "name").unwrap_or_default().to_owned();
                let Some(remote) = reference(peering, "remoteVirtualNetwork") else { continue };
                if !self.networks.contains_key(&remote) {
                    self.summary.skipped.push(Skip {
                        what: format!("peering \"{name}\" of \"{}\"", vnet.name),
                        origin: vnet.origin.clone(),
                        why: format!("it reaches {}, which is not in the input", id_name(&remote).unwrap_or(&remote)),
                    });
                    continue;
                }
                sides.insert((vnet.key.clone(), remote), (settings(peering), name, position));
            }
        }
        let mut pairs: Vec<(&VnetPair, &PeeringSide)> = sides.iter().collect();
        pairs.sort_by(|(_, (_, a_name, a_position)), (_, (_, b_name, b_position))| (a_position, a_name).cmp(&(b_position, b_name)));
        let mut made: FxHashSet<(String, String)> = FxHashSet::default();
        for ((from, to), (from_side, name, position)) in pairs {
            if made.contains(&(to.clone(), from.clone())) {
                continue;
            }
            let Some((to_side, _, _)) = sides.get(&(to.clone(), from.clone())) else {
                self.summary.skipped.push(Skip {
                    what: format!("peering \"{name}\""),
                    origin: vnets[*position].origin.clone(),
                    why: "the other VNet has no peering back, so it is not connected".to_owned(),
                });
                continue;
            };
            let (Some(from_id), Some(to_id)) = (self.networks.get(from).cloned(), self.networks.get(to).cloned()) else { continue };
            made.insert((from.clone(), to.clone()));
            let vnet = vnets[*position];
            let azure =
                Azure::from(AzureIdentity { name: Some(name.clone()), resource_group: vnet.resource_group.clone(), subscription: vnet.subscription.clone() });
            self.plan.connections.push(Connection {
                id: ConnectionId::new(element_id(&mut self.ids, "peer", name)),
                name: name.clone(),
                from: from_id,
                link: Link::VnetPeering { to: to_id, from_side: *from_side, to_side: *to_side },
                state: ConnectionState::Active,
                azure,
            });
        }
    }

    fn connections(&mut self, resources: &[Resource]) {
        let mut vnet_pairs: FxHashSet<(NetworkId, NetworkId)> = FxHashSet::default();
        for connection in Self::of_kind(resources, Kind::Connection) {
            let gateway = reference(&connection.body, "virtualNetworkGateway1").and_then(|key| self.gateways.get(&key).cloned());
            let Some((from, _)) = gateway else {
                skip(&mut self.summary, connection, "connection", "its virtual network gateway is not in the input");
                continue;
            };
            let link = match text(&connection.body, "connectionType").map(str::to_ascii_lowercase).as_deref() {
                Some("expressroute") => match reference(&connection.body, "peer").and_then(|key| self.circuits.get(&key).cloned()) {
                    Some(circuit) => Link::ExpressRoute { circuit },
                    None => {
                        skip(&mut self.summary, connection, "connection", "its ExpressRoute circuit (peer) is not in the input");
                        continue;
                    }
                },
                Some("ipsec") => match reference(&connection.body, "localNetworkGateway2").and_then(|key| self.local_gateways.get(&key).cloned()) {
                    Some(to) => Link::SiteToSiteVpn { to },
                    None => {
                        skip(&mut self.summary, connection, "connection", "its local network gateway is not in the input");
                        continue;
                    }
                },
                Some("vnet2vnet") => match reference(&connection.body, "virtualNetworkGateway2").and_then(|key| self.gateways.get(&key).cloned()) {
                    // Azure keeps one connection on each gateway; the plan draws the pair once.
                    Some((to, _)) if vnet_pairs.contains(&(to.clone(), from.clone())) => continue,
                    Some((to, _)) => {
                        vnet_pairs.insert((from.clone(), to.clone()));
                        Link::SiteToSiteVpn { to }
                    }
                    None => {
                        skip(&mut self.summary, connection, "connection", "the other VNet's gateway is not in the input");
                        continue;
                    }
                },
                other => {
                    skip(&mut self.summary, connection, "connection", format!("connection type {} is not imported", other.unwrap_or("(none)")));
                    continue;
                }
            };
            // The shared key is a secret: it is never read.
            self.plan.connections.push(Connection {
                id: ConnectionId::new(element_id(&mut self.ids, "conn", &connection.name)),
                name: connection.name.clone(),
                from,
                link,
                state: ConnectionState::Active,
                azure: identity(connection),
            });
        }
    }
}

/// Two VNets by id, the peering's own and its remote.
type VnetPair = (String, String);
/// One side of a peering: its settings, its name and the position of its VNet in the input.
type PeeringSide = (PeeringSettings, String, usize);

fn display(key: &str) -> String {
    regions::region(key).map_or_else(|| key.to_owned(), |(display, _)| display.to_owned())
}
