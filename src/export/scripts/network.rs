//! The network steps as PowerShell (Az module) and Azure CLI scripts: disconnections that log
//! and go on (the source region may be down, seed 003), gateways with a SKU parameter and their
//! location, VNet-to-VNet connections on both gateways with one key, peerings with the side that
//! allows gateway transit first, and route tables created, filled and associated (seed 003 step
//! d). Every resource is named and placed through [`Resolver`].

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::names::{AzureNames, ResourceGroup};
use super::{header, step_comment};
use crate::export::quote::{powershell, shell};
use crate::model::{GatewayKind, LinkKind, NextHop, PeeringSettings};
use crate::recovery::{Action, AzurePlace, RecoveryPlan, RouteEntry, Step};

/// Names, resource groups and subscriptions of the resources a script touches.
pub struct Resolver<'a> {
    places: &'a BTreeMap<String, AzurePlace>,
    pub names: AzureNames,
    /// (display name, resource group), in the order first used.
    pub groups: Vec<(String, ResourceGroup)>,
    /// The display names in `groups`.
    grouped: FxHashSet<String>,
    /// The PowerShell script has switched away from the subscription it started in.
    switched: bool,
}

impl<'a> Resolver<'a> {
    pub fn new(plan: &'a RecoveryPlan) -> Self {
        Self { places: &plan.azure, names: AzureNames::with_given(&plan.azure), groups: Vec::new(), grouped: FxHashSet::default(), switched: false }
    }

    pub fn name(&mut self, display: &str) -> String {
        self.names.of(display)
    }

    pub fn group(&mut self, display: &str) -> ResourceGroup {
        let group = ResourceGroup::of(self.places, display);
        if self.grouped.insert(display.to_owned()) {
            self.groups.push((display.to_owned(), group.clone()));
        }
        group
    }

    pub fn subscription(&self, display: &str) -> Option<String> {
        self.places.get(display).and_then(|place| place.subscription.clone())
    }

    /// The sites whose resource group is a parameter, in the order first used.
    pub fn parameter_sites(&self) -> Vec<String> {
        let mut sites: Vec<String> = Vec::new();
        for (_, group) in &self.groups {
            if let ResourceGroup::OfSite(site) = group
                && !sites.contains(site)
            {
                sites.push(site.clone());
            }
        }
        sites
    }

    /// `-Name 'x' -ResourceGroupName $Rg`, for PowerShell.
    fn ps(&mut self, display: &str) -> String {
        format!("-Name {} -ResourceGroupName {}", powershell(&self.name(display)), self.group(display).powershell())
    }

    /// `--name 'x' --resource-group "$RG" [--subscription 's']`, for the Azure CLI.
    fn cli(&mut self, display: &str) -> String {
        format!("--name {} --resource-group {}{}", shell(&self.name(display)), self.group(display).shell(), self.cli_subscription(display))
    }

    fn cli_subscription(&self, display: &str) -> String {
        self.subscription(display).map(|subscription| format!(" --subscription {}", shell(&subscription))).unwrap_or_default()
    }

    /// A line that switches the PowerShell context to the resource's subscription, if it has one,
    /// or back to the one the script started in after a switch: a resource whose subscription the
    /// plan does not give is in the subscription the operator chose.
    fn ps_context(&mut self, display: &str) -> String {
        match self.subscription(display) {
            Some(subscription) => {
                self.switched = true;
                format!("Set-AzContext -Subscription {} | Out-Null\n", powershell(&subscription))
            }
            None if self.switched => {
                self.switched = false;
                "Set-AzContext -Context $startContext | Out-Null\n".to_owned()
            }
            None => String::new(),
        }
    }
}

/// Whether a step is a network change the scripts make.
pub fn is_network(action: &Action) -> bool {
    matches!(
        action,
        Action::Disconnect { .. }
            | Action::CreateGateway { prepared: false, .. }
            | Action::Connect { .. }
            | Action::CreatePeering { .. }
            | Action::CreateRouteTable { .. }
    )
}

fn gateway_type(kind: GatewayKind) -> &'static str {
    match kind {
        GatewayKind::Vpn => "Vpn",
        GatewayKind::ExpressRoute => "ExpressRoute",
    }
}

/// A route's next hop as Azure names it, with the appliance's address.
fn next_hop(hop: &NextHop) -> (&'static str, Option<String>) {
    match hop {
        NextHop::VirtualAppliance(address) => ("VirtualAppliance", Some(address.to_string())),
        NextHop::VirtualNetworkGateway => ("VirtualNetworkGateway", None),
        NextHop::VnetLocal => ("VnetLocal", None),
        NextHop::Internet => ("Internet", None),
        NextHop::None => ("None", None),
    }
}

/// The two sides of a peering, the side that allows gateway transit first: Azure refuses a
/// peering that uses remote gateways before the other side allows transit.
fn peering_sides<'a>(
    from: &'a str,
    to: &'a str,
    from_side: &'a PeeringSettings,
    to_side: &'a PeeringSettings,
    name: &'a str,
) -> [(&'a str, &'a str, &'a PeeringSettings, String); 2] {
    let forward = (from, to, from_side, name.to_owned());
    let back = (to, from, to_side, format!("{name} (return)"));
    if from_side.use_remote_gateways { [back, forward] } else { [forward, back] }
}

/// The peering switches that are on, as (PowerShell flag, Azure CLI flag).
fn peering_flags(settings: &PeeringSettings) -> impl Iterator<Item = (&'static str, &'static str)> {
    [
        (!settings.allow_virtual_network_access, " -BlockVirtualNetworkAccess", " --allow-vnet-access false"),
        (settings.allow_virtual_network_access, "", " --allow-vnet-access true"),
        (settings.allow_forwarded_traffic, " -AllowForwardedTraffic", " --allow-forwarded-traffic true"),
        (settings.allow_gateway_transit, " -AllowGatewayTransit", " --allow-gateway-transit true"),
        (settings.use_remote_gateways, " -UseRemoteGateways", " --use-remote-gateways true"),
    ]
    .into_iter()
    .filter(|(on, _, _)| *on)
    .map(|(_, powershell, cli)| (powershell, cli))
}

fn needs_shared_key(steps: &[&Step]) -> bool {
    steps.iter().any(|step| matches!(&step.action, Action::Connect { link, .. } if *link != LinkKind::ExpressRoute))
}

/// The PowerShell body of the network steps; the parameters come after, once every resource
/// group is known.
pub fn powershell_network(plan: &RecoveryPlan, steps: &[&Step]) -> (String, Vec<Resource>) {
    let mut resolve = Resolver::new(plan);
    let mut body = String::new();
    for step in steps {
        body.push_str(&step_comment(step));
        body.push_str(&powershell_step(&mut resolve, step));
    }
    let mut parameters: Vec<String> =
        resolve.parameter_sites().iter().map(|site| format!("    [Parameter(Mandatory)][string]${}", ResourceGroup::powershell_parameter(site))).collect();
    if needs_shared_key(steps) {
        parameters.push("    [Parameter(Mandatory)][string]$SharedKey".to_owned());
    }
    parameters.push("    [string]$VpnGatewaySku = 'VpnGw1'".to_owned());
    parameters.push("    [string]$ExpressRouteGatewaySku = 'Standard'".to_owned());
    let mut text = header(plan, "Network changes (PowerShell, Az module)", &resolve.names);
    text.push_str(&format!("param(\n{}\n)\n$ErrorActionPreference = 'Stop'\n$startContext = Get-AzContext\n", parameters.join(",\n")));
    text.push_str(&body);
    (text, resources(&resolve, plan))
}

fn powershell_step(resolve: &mut Resolver, step: &Step) -> String {
    let mut text = String::new();
    match &step.action {
        Action::Disconnect { name, .. } => {
            text.push_str(&resolve.ps_context(name));
            text.push_str(&format!(
                "try {{ Remove-AzVirtualNetworkGatewayConnection {} -Force }}\ncatch {{ Write-Warning \"Step {}: the disconnect failed (is the source region down?); going on: $_\" }}\n",
                resolve.ps(name),
                step.number
            ));
        }
        Action::CreateGateway { name, kind, network, .. } => {
            let sku = match kind {
                GatewayKind::Vpn => "$VpnGatewaySku -VpnType RouteBased",
                GatewayKind::ExpressRoute => "$ExpressRouteGatewaySku",
            };
            text.push_str(&resolve.ps_context(network));
            text.push_str(&format!(
                "$vnet = Get-AzVirtualNetwork {}\n\
                 $gatewaySubnet = Get-AzVirtualNetworkSubnetConfig -Name 'GatewaySubnet' -VirtualNetwork $vnet\n\
                 $publicIp = New-AzPublicIpAddress {} -Location $vnet.Location -AllocationMethod Static -Sku Standard\n\
                 $ipConfig = New-AzVirtualNetworkGatewayIpConfig -Name 'gatewayConfig' -SubnetId $gatewaySubnet.Id -PublicIpAddressId $publicIp.Id\n\
                 New-AzVirtualNetworkGateway {} -Location $vnet.Location -IpConfigurations $ipConfig -GatewayType {} -GatewaySku {sku}\n",
                resolve.ps(network),
                resolve.ps(&format!("{name} ip")),
                resolve.ps(name),
                gateway_type(*kind),
            ));
        }
        Action::Connect { name, link, other_end, gateway, other_gateway, .. } => {
            text.push_str(&resolve.ps_context(other_end));
            if *link == LinkKind::ExpressRoute {
                text.push_str(&format!("$circuit = Get-AzExpressRouteCircuit {}\n", resolve.ps(other_end)));
                text.push_str(&resolve.ps_context(gateway));
                text.push_str(&format!(
                    "$gateway = Get-AzVirtualNetworkGateway {}\nNew-AzVirtualNetworkGatewayConnection {} -Location $gateway.Location -VirtualNetworkGateway1 $gateway -PeerId $circuit.Id -ConnectionType ExpressRoute\n",
                    resolve.ps(gateway),
                    resolve.ps(name)
                ));
            } else {
                // A VNet-to-VNet connection is two connections, one on each gateway, with one key.
                let other = other_gateway.clone().unwrap_or_else(|| format!("{other_end} gateway"));
                text.push_str(&format!(
                    "$otherGateway = Get-AzVirtualNetworkGateway {}\n$gateway = Get-AzVirtualNetworkGateway {}\n\
                     New-AzVirtualNetworkGatewayConnection {} -Location $gateway.Location -VirtualNetworkGateway1 $gateway -VirtualNetworkGateway2 $otherGateway -ConnectionType Vnet2Vnet -SharedKey $SharedKey\n\
                     New-AzVirtualNetworkGatewayConnection {} -Location $otherGateway.Location -VirtualNetworkGateway1 $otherGateway -VirtualNetworkGateway2 $gateway -ConnectionType Vnet2Vnet -SharedKey $SharedKey\n",
                    resolve.ps(&other),
                    resolve.ps(gateway),
                    resolve.ps(name),
                    resolve.ps(&format!("{name} (return)"))
                ));
            }
        }
        Action::CreatePeering { name, from, to, from_side, to_side, .. } => {
            text.push_str(&resolve.ps_context(from));
            text.push_str(&format!("$from = Get-AzVirtualNetwork {}\n$to = Get-AzVirtualNetwork {}\n", resolve.ps(from), resolve.ps(to)));
            for (local, _, settings, peering) in peering_sides(from, to, from_side, to_side, name) {
                let (local_variable, remote_variable) = if local == from.as_str() { ("$from", "$to") } else { ("$to", "$from") };
                let flags: String = peering_flags(settings).map(|(flag, _)| flag).collect();
                text.push_str(&format!(
                    "Add-AzVirtualNetworkPeering -Name {} -VirtualNetwork {local_variable} -RemoteVirtualNetworkId {remote_variable}.Id{flags}\n",
                    powershell(&resolve.name(&peering))
                ));
            }
        }
        Action::CreateRouteTable { name, network, routes, subnets } => {
            text.push_str(&resolve.ps_context(network));
            text.push_str(&format!(
                "$vnet = Get-AzVirtualNetwork {}\n$routeTable = New-AzRouteTable {} -Location $vnet.Location\n",
                resolve.ps(network),
                resolve.ps(name)
            ));
            for RouteEntry { name: route, prefix, next_hop: hop } in routes {
                let (kind, address) = next_hop(hop);
                let address = address.map(|address| format!(" -NextHopIpAddress {}", powershell(&address))).unwrap_or_default();
                text.push_str(&format!(
                    "Add-AzRouteConfig -RouteTable $routeTable -Name {} -AddressPrefix {} -NextHopType {kind}{address} | Out-Null\n",
                    powershell(&super::names::azure_name(route)),
                    powershell(&prefix.to_string())
                ));
            }
            text.push_str("$routeTable = Set-AzRouteTable -RouteTable $routeTable\n");
            for (subnet, _) in subnets {
                text.push_str(&format!(
                    "(Get-AzVirtualNetworkSubnetConfig -VirtualNetwork $vnet -Name {}).RouteTable = $routeTable\n",
                    powershell(&super::names::azure_name(subnet))
                ));
            }
            if !subnets.is_empty() {
                text.push_str("$vnet | Set-AzVirtualNetwork | Out-Null\n");
            }
        }
        _ => {}
    }
    text
}

/// The Azure CLI script of the network steps.
pub fn cli_network(plan: &RecoveryPlan, steps: &[&Step]) -> String {
    let mut resolve = Resolver::new(plan);
    let mut body = String::new();
    for step in steps {
        body.push_str(&step_comment(step));
        body.push_str(&cli_step(&mut resolve, step));
    }
    let mut text = String::from("#!/usr/bin/env bash\n");
    text.push_str(&header(plan, "Network changes (Azure CLI)", &resolve.names));
    text.push_str("set -euo pipefail\n");
    for site in resolve.parameter_sites() {
        let variable = ResourceGroup::shell_variable(&site);
        // Only plain characters of the site's name: inside `${...:?...}` a quote, brace or `$`
        // would be shell syntax.
        let site: String = site.chars().filter(|character| character.is_ascii_alphanumeric() || matches!(character, ' ' | '-' | '.' | '_')).collect();
        text.push_str(&format!(": \"${{{variable}:?set {variable} to the resource group of {site}}}\"\n"));
    }
    if needs_shared_key(steps) {
        text.push_str(": \"${SHARED_KEY:?set SHARED_KEY to the shared key of the VNet-to-VNet connections}\"\n");
    }
    text.push_str("VPN_GATEWAY_SKU=\"${VPN_GATEWAY_SKU:-VpnGw1}\"\nEXPRESSROUTE_GATEWAY_SKU=\"${EXPRESSROUTE_GATEWAY_SKU:-Standard}\"\n");
    text.push_str(&body);
    text
}

fn cli_step(resolve: &mut Resolver, step: &Step) -> String {
    let mut text = String::new();
    match &step.action {
        Action::Disconnect { name, .. } => text.push_str(&format!(
            "az network vpn-connection delete {} \\\n    || echo \"warning: step {}: the disconnect failed (is the source region down?); going on\" >&2\n",
            resolve.cli(name),
            step.number
        )),
        Action::CreateGateway { name, kind, network, .. } => {
            let sku = match kind {
                GatewayKind::Vpn => "\"$VPN_GATEWAY_SKU\" --vpn-type RouteBased",
                GatewayKind::ExpressRoute => "\"$EXPRESSROUTE_GATEWAY_SKU\"",
            };
            let vnet_id = format!("vnet_id=$(az network vnet show {} --query id --output tsv)\n", resolve.cli(network));
            text.push_str(&format!(
                "location=$(az network vnet show {} --query location --output tsv)\n{vnet_id}\
                 az network public-ip create {} --location \"$location\" --sku Standard --allocation-method Static\n\
                 az network vnet-gateway create {} --location \"$location\" --vnet \"$vnet_id\" --public-ip-addresses {} --gateway-type {} --sku {sku}\n",
                resolve.cli(network),
                resolve.cli(&format!("{name} ip")),
                resolve.cli(name),
                shell(&resolve.name(&format!("{name} ip"))),
                gateway_type(*kind),
            ));
        }
        Action::Connect { name, link, other_end, gateway, other_gateway, .. } => {
            if *link == LinkKind::ExpressRoute {
                text.push_str(&format!(
                    "circuit_id=$(az network express-route show {} --query id --output tsv)\n\
                     gateway_id=$(az network vnet-gateway show {} --query id --output tsv)\n\
                     az network vpn-connection create {} --vnet-gateway1 \"$gateway_id\" --express-route-circuit2 \"$circuit_id\"\n",
                    resolve.cli(other_end),
                    resolve.cli(gateway),
                    resolve.cli(name)
                ));
            } else {
                // A VNet-to-VNet connection is two connections, one on each gateway, with one key;
                // gateways are given by id, so each may sit in its own resource group.
                let other = other_gateway.clone().unwrap_or_else(|| format!("{other_end} gateway"));
                text.push_str(&format!(
                    "gateway_id=$(az network vnet-gateway show {} --query id --output tsv)\n\
                     other_gateway_id=$(az network vnet-gateway show {} --query id --output tsv)\n\
                     az network vpn-connection create {} --vnet-gateway1 \"$gateway_id\" --vnet-gateway2 \"$other_gateway_id\" --shared-key \"$SHARED_KEY\"\n\
                     az network vpn-connection create {} --vnet-gateway1 \"$other_gateway_id\" --vnet-gateway2 \"$gateway_id\" --shared-key \"$SHARED_KEY\"\n",
                    resolve.cli(gateway),
                    resolve.cli(&other),
                    resolve.cli(name),
                    resolve.cli(&format!("{name} (return)"))
                ));
            }
        }
        Action::CreatePeering { name, from, to, from_side, to_side, .. } => {
            for (local, remote, settings, peering) in peering_sides(from, to, from_side, to_side, name) {
                let flags: String = peering_flags(settings).map(|(_, flag)| flag).collect();
                text.push_str(&format!(
                    "remote_id=$(az network vnet show {} --query id --output tsv)\naz network vnet peering create --name {} --resource-group {} --vnet-name {} --remote-vnet \"$remote_id\"{flags}{}\n",
                    resolve.cli(remote),
                    shell(&resolve.name(&peering)),
                    resolve.group(local).shell(),
                    shell(&resolve.name(local)),
                    resolve.cli_subscription(local),
                ));
            }
        }
        Action::CreateRouteTable { name, network, routes, subnets } => {
            text.push_str(&format!(
                "location=$(az network vnet show {} --query location --output tsv)\nroute_table_id=$(az network route-table create {} --location \"$location\" --query id --output tsv)\n",
                resolve.cli(network),
                resolve.cli(name)
            ));
            for RouteEntry { name: route, prefix, next_hop: hop } in routes {
                let (kind, address) = next_hop(hop);
                let address = address.map(|address| format!(" --next-hop-ip-address {}", shell(&address))).unwrap_or_default();
                text.push_str(&format!(
                    "az network route-table route create --name {} --resource-group {} --route-table-name {}{} --address-prefix {} --next-hop-type {kind}{address}\n",
                    shell(&super::names::azure_name(route)),
                    resolve.group(name).shell(),
                    shell(&resolve.name(name)),
                    resolve.cli_subscription(name),
                    shell(&prefix.to_string())
                ));
            }
            for (subnet, _) in subnets {
                text.push_str(&format!(
                    "az network vnet subnet update --name {} --resource-group {} --vnet-name {}{} --route-table \"$route_table_id\"\n",
                    shell(&super::names::azure_name(subnet)),
                    resolve.group(network).shell(),
                    shell(&resolve.name(network)),
                    resolve.cli_subscription(network)
                ));
            }
        }
        _ => {}
    }
    text
}

/// A resource the network scripts use, as the runbook lists it: display name, Azure name,
/// whether the plan gives the name, and the resource group.
pub type Resource = (String, String, bool, ResourceGroup);

/// The resources `resolve` named, in the order first used.
fn resources(resolve: &Resolver, plan: &RecoveryPlan) -> Vec<Resource> {
    // Each display name is in `groups` at most once: a table, not a search per resource.
    let groups: FxHashMap<&str, &ResourceGroup> = resolve.groups.iter().map(|(display, group)| (display.as_str(), group)).collect();
    resolve
        .names
        .mapping
        .iter()
        .map(|(display, azure)| {
            let group = groups.get(display.as_str()).map_or_else(|| ResourceGroup::of(&plan.azure, display), |group| (*group).clone());
            (display.clone(), azure.clone(), resolve.names.is_given(display), group)
        })
        .collect()
}
